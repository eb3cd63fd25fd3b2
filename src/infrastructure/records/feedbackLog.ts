import type { Logger } from '../logger';
import { maskPersonalData } from './personalData';
import type { RecordStore } from './recordStore';

/** A user's verdict on an answer. Nothing in it identifies the user. */
export interface AnswerVerdict {
  topicId: string;
  language: string;
  helpful: boolean;
  /** How the topic was reached: the recognizer's decision, or a button (command). */
  decision: string;
  /** The recognizer's best scores for the question that led to the answer. */
  scores: { id: string; score: number }[];
  channel: string;
}

/** A question the bot could not match: what knowledge authors should add. */
export interface KnowledgeGap {
  text: string;
  language: string;
  channel: string;
}

/**
 * Keeps answer feedback and knowledge gaps for the knowledge authors (`npm run report`). A failed
 * write is logged and never breaks the conversation.
 */
export class FeedbackLog {
  constructor(
    private readonly store: RecordStore,
    private readonly logger: Logger,
  ) {}

  async verdict(verdict: AnswerVerdict): Promise<void> {
    await this.append('feedback', { at: new Date().toISOString(), ...verdict });
  }

  /** Stores an unanswered question with e-mail addresses, accounts, phone numbers and the user's name masked. */
  async gap(gap: KnowledgeGap, userNames: string[] = []): Promise<void> {
    await this.append('gaps', {
      at: new Date().toISOString(),
      ...gap,
      text: maskPersonalData(gap.text, userNames).slice(0, 500),
    });
  }

  private async append(kind: 'feedback' | 'gaps', record: object): Promise<void> {
    try {
      await this.store.append(kind, record);
    } catch (error) {
      this.logger.warn('could not store a record', { kind, error: (error as Error).message });
    }
  }
}
