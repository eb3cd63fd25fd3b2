import type { CardJson, CardTemplates } from '../cards/cardTemplates';
import { withoutAnswerButtons } from '../cards/questionCards';
import { button, type Button, type FlowMove } from '../cards/submissions';
import type { KnowledgeBase, Topic } from '../knowledge/knowledgeBase';
import type { Ticket } from '../helpdesk/ticket';
import { Localizer } from '../language/localizer';
import type { StringKey } from '../language/stringKeys';
import type { Conclusion } from '../diagnosis/diagnosis';
import type { FactRow } from '../diagnosis/tenantFindings';

/** What the bot says in one message, free of any channel SDK: a text, and maybe a card. */
export interface Reply {
  text: string;
  card?: CardJson;
  /** The card's content as plain text, for channels that show no cards. */
  plainText?: string;
  /** The card asks a question: its buttons answer it once (see src/channels/botframework/answeredQuestions.ts). */
  asks?: boolean;
  /** Replies the user can send with one tap (suggested actions), each sent as its text. */
  suggestions?: string[];
}

// Link buttons on a card, so the row stays readable; the plain-text version lists every link.
const MAX_LINK_BUTTONS = 6;

/** What the live tenant check adds to an answer (SYNC_STATUS_CHECK=graph). */
export interface LiveCheckView {
  /** The facts, each with where it came from ("measured now" / "you said"). */
  rows: FactRow[];
  /** Graph failed or was slow: one line says so, and the answer is today's. */
  unavailable: boolean;
  /** Offer the "Check the tenant now" button. */
  offerCheck: boolean;
}
const CONTAINER_STYLE: Record<Conclusion['severity'], string> = {
  good: 'good',
  warning: 'warning',
  attention: 'attention',
};

/**
 * A command's lines for the cards' fallback, where a host has no Teams CodeBlock: one plain TextRun
 * per line, since a TextBlock would read `*`, `_` and `\` as Markdown and join the lines.
 */
function commandLines(command: string | undefined): string[] {
  return command ? command.split('\n') : [];
}

/** Builds every reply the bot sends from the knowledge base, the strings and the card templates. */
export class ReplyBuilder {
  constructor(
    private readonly kb: KnowledgeBase,
    private readonly cards: CardTemplates,
    private readonly helpdeskContact: string,
  ) {}

  localizer(language: string): Localizer {
    return new Localizer(this.kb, language);
  }

  say(language: string, key: StringKey, values?: Record<string, string>): Reply {
    return { text: this.localizer(language).t(key, values) };
  }

  /** "I don't speak Portuguese yet, so I'll answer in English. I also understand …", names from ICU. */
  unsupportedLanguage(language: string, asked: string): Reply {
    const names = new Intl.DisplayNames([language], { type: 'language', fallback: 'code' });
    const others = this.kb.languages.filter((l) => l !== language).map((l) => names.of(l) ?? l);
    return this.say(language, 'language.unsupported', {
      language: names.of(asked) ?? asked,
      others: new Intl.ListFormat(language, { type: 'conjunction' }).format(others),
    });
  }

  answer(topic: Topic, language: string, conclusion?: Conclusion, live?: LiveCheckView): Reply {
    const l = this.localizer(language);
    const liveNotice = live?.unavailable ? l.t('syncStatus.notice') : '';
    const liveFacts = (live?.rows ?? []).map((r) => ({
      label: r.label,
      value: r.value,
      source: l.t(r.source === 'measured' ? 'syncStatus.measured' : 'syncStatus.stated'),
    }));
    const steps = topic.steps.map((s, i) => ({
      number: i + 1,
      text: s.text,
      command: s.command ?? '',
      commandLines: commandLines(s.command),
    }));
    const links = topic.links.slice(0, MAX_LINK_BUTTONS);
    const flow = this.kb.flowForTopic(topic.id);
    const plainText = [
      topic.title,
      liveNotice || undefined,
      conclusion ? conclusion.text : undefined,
      liveFacts.length
        ? [l.t('syncStatus.heading'), ...liveFacts.map((f) => `- ${f.label}: ${f.value} (${f.source})`)].join(
            '\n',
          )
        : undefined,
      `${l.t('answer.whatIsWrong')}: ${topic.summary}`,
      `${l.t('answer.causes')}: ${topic.causes}`,
      `${l.t('answer.steps')}:\n${steps.map((s) => `${s.number}. ${s.text}${s.command ? `\n   ${s.command}` : ''}`).join('\n')}`,
      `${l.t('answer.links')}:\n${topic.links.map((k) => `- ${k.title}: ${k.url}`).join('\n')}`,
      `${l.t('feedback.question')} (${l.t('feedback.yes')} / ${l.t('feedback.no')})`,
    ]
      .filter((p): p is string => p !== undefined)
      .join('\n\n');
    const card = this.cards.expand('answer', {
      t: l.tree(),
      id: topic.id,
      title: topic.title,
      summary: topic.summary,
      causes: topic.causes,
      conclusion: conclusion?.text ?? '',
      conclusionStyle: CONTAINER_STYLE[conclusion?.severity ?? 'warning'],
      steps,
      links,
      flowLabel: flow ? l.t('flow.start') : '',
      flowId: flow?.id ?? '',
      liveNotice,
      liveHeading: liveFacts.length ? l.t('syncStatus.heading') : '',
      liveFacts,
      checkLabel: live?.offerCheck ? l.t('syncStatus.checkNow') : '',
      fallbackText: plainText,
    });
    return { text: l.t('answer.lead', { title: topic.title }), card, plainText, asks: true };
  }

  /**
   * What a fact given after the answer means, without the whole answer again: the conclusion, the
   * steps to start with (the answer card above has the rest), and whether it helped.
   */
  conclusion(topic: Topic, conclusion: Conclusion, language: string): Reply {
    const l = this.localizer(language);
    const steps = (conclusion.startWith ?? [])
      .map((n) => ({ number: n, step: topic.steps[n - 1] }))
      .filter((s): s is { number: number; step: Topic['steps'][number] } => s.step !== undefined)
      .map(({ number, step }) => ({
        number,
        text: step.text,
        command: step.command ?? '',
        commandLines: commandLines(step.command),
      }));
    const startWithHeading = steps.length ? l.t('answer.startWith') : '';
    const plainText = [
      topic.title,
      conclusion.text,
      steps.length
        ? `${startWithHeading}\n${steps.map((s) => `${s.number}. ${s.text}${s.command ? `\n   ${s.command}` : ''}`).join('\n')}`
        : undefined,
      `${l.t('feedback.question')} (${l.t('feedback.yes')} / ${l.t('feedback.no')})`,
    ]
      .filter((p): p is string => p !== undefined)
      .join('\n\n');
    const card = this.cards.expand('conclusion', {
      t: l.tree(),
      id: topic.id,
      title: topic.title,
      conclusion: conclusion.text,
      conclusionStyle: CONTAINER_STYLE[conclusion.severity],
      startWithHeading,
      steps,
      fallbackText: plainText,
    });
    return { text: conclusion.text, card, plainText, asks: true };
  }

  /** An answered question card as it stays in the conversation: the same card, its answer buttons gone, the answer below. */
  answered(card: CardJson, answer: string, language: string): CardJson {
    return withoutAnswerButtons(card, this.localizer(language).t('question.answered', { answer }));
  }

  clarify(topicIds: string[], language: string, questionKey: StringKey = 'clarify.question'): Reply {
    const l = this.localizer(language);
    const options = this.topicOptions(topicIds, language);
    options.push(button(l.t('clarify.none'), { action: 'none' }));
    return this.choices(l.t(questionKey), [], options, '');
  }

  /** After an answer that did not help: the next likely topics, a person at the helpdesk, and whom to contact. */
  alternatives(topicIds: string[], language: string, topicId?: string): Reply {
    const l = this.localizer(language);
    const options = this.topicOptions(topicIds, language);
    const lines = options.length ? [l.t('feedback.alternatives')] : [];
    options.push(
      button(l.t('escalation.offer'), { action: 'escalate', step: 'start', ...(topicId ? { topicId } : {}) }),
    );
    return this.choices(l.t('feedback.sorry'), lines, options, this.helpdeskLine(language));
  }

  /** Whom to contact, from HELPDESK_CONTACT, or a generic line. */
  helpdeskLine(language: string): string {
    const l = this.localizer(language);
    return this.helpdeskContact
      ? l.t('feedback.helpdesk', { contact: this.helpdeskContact })
      : l.t('feedback.helpdeskUnknown');
  }

  /** Escalation, first question: what will be sent, and anything to add? */
  escalationDetails(problem: string, language: string): Reply {
    const l = this.localizer(language);
    return this.choices(
      l.t('escalation.intro'),
      [l.t('escalation.problem', { problem }), l.t('escalation.askDetails')],
      [
        button(l.t('escalation.skip'), { action: 'escalate', step: 'skip' }),
        button(l.t('escalation.dontSend'), { action: 'escalate', step: 'abort' }),
      ],
      '',
    );
  }

  /** Escalation, last question: send this to the helpdesk? */
  escalationConfirm(problem: string, details: string, language: string): Reply {
    const l = this.localizer(language);
    const lines = [l.t('escalation.problem', { problem })];
    if (details) lines.push(l.t('escalation.details', { details }));
    return this.choices(
      l.t('escalation.confirm'),
      lines,
      [
        button(l.t('escalation.send'), { action: 'escalate', step: 'send' }),
        button(l.t('escalation.dontSend'), { action: 'escalate', step: 'abort' }),
      ],
      '',
    );
  }

  /** The ticket as the helpdesk sees it, in the bot's default language. */
  ticketCard(ticket: Ticket): CardJson {
    const l = this.localizer(this.kb.defaultLanguage);
    const topic = ticket.topicId ? this.kb.topic(ticket.topicId, l.language) : undefined;
    const facts = [
      { name: l.t('ticket.user'), value: ticket.user.name || ticket.user.id },
      { name: l.t('ticket.language'), value: ticket.language },
      { name: l.t('ticket.channel'), value: ticket.channel },
      ...(topic ? [{ name: l.t('ticket.topic'), value: topic.title }] : []),
      { name: l.t('ticket.created'), value: ticket.createdAt },
    ];
    const transcript = ticket.transcript.map((e) => ({
      from: l.t(e.from === 'user' ? 'ticket.fromUser' : 'ticket.fromBot'),
      text: e.text,
    }));
    const title = l.t('ticket.title', { reference: ticket.reference });
    const fallbackText = [
      title,
      ...facts.map((f) => `${f.name}: ${f.value}`),
      `${l.t('ticket.problem')}: ${ticket.problem}`,
      ticket.details ? `${l.t('ticket.details')}: ${ticket.details}` : '',
      `${l.t('ticket.transcript')}:`,
      ...transcript.map((e) => `${e.from}: ${e.text}`),
    ]
      .filter(Boolean)
      .join('\n');
    return this.cards.expand('ticket', {
      title,
      facts,
      problemHeading: l.t('ticket.problem'),
      problem: ticket.problem,
      detailsHeading: l.t('ticket.details'),
      details: ticket.details,
      transcriptHeading: l.t('ticket.transcript'),
      transcript,
      fallbackText,
    });
  }

  /** One question of a guided check, with yes / no / don't know, and back, restart and stop. */
  flowStep(flowId: string, stepId: string, position: number, language: string): Reply {
    const l = this.localizer(language);
    const flow = this.kb.flowText(flowId, language);
    const step = flow?.steps[stepId];
    if (!flow || !step) throw new Error(`no step "${stepId}" in guided check "${flowId}" (${language})`);
    const submit = (answer: FlowMove): Button =>
      button(l.t(`flow.${answer}`), { action: 'flowAnswer', flowId, step: stepId, answer });
    const answers = (['yes', 'no', 'unknown'] as const).map(submit);
    const moves = [...(position > 1 ? [submit('back')] : []), submit('restart'), submit('leave')];
    const progress = l.t('flow.progress', { number: String(position) });
    const plainText = [
      flow.title,
      progress,
      step.question,
      step.hint,
      step.command,
      answers.map((a) => a.label).join(' / '),
    ]
      .filter(Boolean)
      .join('\n');
    const card = this.cards.expand('flowStep', {
      title: flow.title,
      progress,
      question: step.question,
      hint: step.hint ?? '',
      command: step.command ?? '',
      commandLines: commandLines(step.command),
      answers,
      moves,
      fallbackText: plainText,
    });
    return { text: step.question, card, plainText, asks: true };
  }

  /** The end of a guided check: the likely cause and fix, and what was checked, to hand to the helpdesk. */
  flowOutcome(
    flowId: string,
    outcomeId: string,
    checked: { step: string; answer: 'yes' | 'no' | 'unknown' }[],
    topicId: string,
    language: string,
  ): Reply {
    const l = this.localizer(language);
    const flow = this.kb.flowText(flowId, language);
    const outcome = flow?.outcomes[outcomeId];
    const severity = this.kb.flow(flowId)?.outcomes[outcomeId]?.severity ?? 'warning';
    if (!flow || !outcome)
      throw new Error(`no outcome "${outcomeId}" in guided check "${flowId}" (${language})`);
    const rows = checked.map((c) => ({
      question: flow.steps[c.step]?.question ?? c.step,
      answer: l.t(`flow.${c.answer}`),
    }));
    const plainText = [
      outcome.title,
      outcome.text,
      outcome.command,
      `${l.t('flow.summary')}:`,
      ...rows.map((r) => `- ${r.question} ${r.answer}`),
      l.t('flow.handoff'),
    ]
      .filter(Boolean)
      .join('\n');
    const feedback = (helpful: boolean): Button =>
      button(l.t(helpful ? 'feedback.yes' : 'feedback.no'), { action: 'feedback', helpful, topicId });
    const card = this.cards.expand('flowOutcome', {
      flowTitle: flow.title,
      style: CONTAINER_STYLE[severity],
      title: outcome.title,
      text: outcome.text,
      command: outcome.command ?? '',
      commandLines: commandLines(outcome.command),
      summaryHeading: l.t('flow.summary'),
      checked: rows,
      handoff: l.t('flow.handoff'),
      feedbackQuestion: l.t('feedback.question'),
      actions: [feedback(true), feedback(false), button(l.t('flow.restart'), { action: 'flow', flowId })],
      fallbackText: plainText,
    });
    return { text: outcome.title, card, plainText, asks: true };
  }

  /** Asks for the fact a topic's advice depends on, its likely answers as buttons. */
  factQuestion(topic: Topic, options: { key: string }[], language: string): Reply {
    const text = topic.diagnosisText;
    if (!text) throw new Error(`topic ${topic.id} has no diagnosis text in ${language}`);
    const buttons = options.map((o) =>
      button(text.options[o.key] ?? o.key, { action: 'fact', topicId: topic.id, key: o.key }),
    );
    return this.choices(text.question, [], buttons, '');
  }

  /** Every topic as a button; the `first` topics (ids, best first) lead the list. */
  menu(language: string, intro?: string, first: readonly string[] = []): Reply {
    const l = this.localizer(language);
    const rank = (id: string): number => {
      const i = first.indexOf(id);
      return i < 0 ? first.length : i;
    };
    const topics = this.kb
      .topics(language)
      .map((t) => ({ id: t.id, label: t.menuLabel }))
      .sort((a, b) => rank(a.id) - rank(b.id));
    const heading = l.t('menu.title');
    const introText = intro ?? l.t('menu.intro');
    const plainText = [heading, introText, ...topics.map((t, i) => `${i + 1}. ${t.label}`)].join('\n');
    const languages = this.kb.languages.map((code) => ({ code, name: this.kb.pack(code).profile.name }));
    const card = this.cards.expand('menu', {
      heading,
      intro: introText,
      topics,
      languageHeading: l.t('menu.language'),
      languages,
      fallbackText: plainText,
    });
    return { text: intro ?? heading, card, plainText };
  }

  /** No topic matched well enough: every topic to pick from, the closest ones (ids, best first) leading. */
  fallback(language: string, closest: readonly string[] = []): Reply {
    return this.menu(language, this.localizer(language).t('fallback.text'), closest);
  }

  /** Not a directory sync question (a printer, OneDrive, a payslip): no sync topics, the helpdesk instead. */
  outOfScope(language: string): Reply {
    const l = this.localizer(language);
    return this.choices(
      l.t('fallback.outOfScope'),
      [],
      [
        button(l.t('escalation.offer'), { action: 'escalate', step: 'start' }),
        button(l.t('button.menu'), { action: 'menu' }),
      ],
      this.helpdeskLine(language),
    );
  }

  /** "None of these" at a clarify card: describe it another way, or have a person look at it. */
  rephrase(language: string): Reply {
    const l = this.localizer(language);
    return this.choices(
      l.t('clarify.rephrase'),
      [],
      [button(l.t('escalation.offer'), { action: 'escalate', step: 'start' })],
      this.helpdeskLine(language),
    );
  }

  /**
   * A short welcome: the common problems (topics with a `welcome` place) as buttons and as
   * suggested actions, and every topic behind "All topics".
   */
  welcome(language: string): Reply {
    const l = this.localizer(language);
    const topics = this.kb.topics(language).map((t) => ({ id: t.id, label: t.menuLabel }));
    const places = new Map(this.kb.definitions.map((d) => [d.id, d.welcome]));
    const symptoms = topics
      .filter((t) => places.get(t.id) !== undefined)
      .sort((a, b) => (places.get(a.id) ?? 0) - (places.get(b.id) ?? 0));
    const plainText = [
      l.t('welcome.title'),
      l.t('welcome.intro'),
      l.t('welcome.symptomsHeading'),
      ...symptoms.map((t) => `- ${t.label}`),
      `${l.t('welcome.allTopics')}:`,
      ...topics.map((t, i) => `${i + 1}. ${t.label}`),
    ].join('\n');
    const card = this.cards.expand('welcome', { t: l.tree(), symptoms, topics, fallbackText: plainText });
    return { text: l.t('welcome.intro'), card, plainText, suggestions: symptoms.map((t) => t.label) };
  }

  private topicOptions(topicIds: string[], language: string): Button[] {
    return topicIds
      .map((id) => this.kb.topic(id, language))
      .filter((t): t is Topic => t !== undefined)
      .map((t) => button(t.menuLabel, { action: 'topic', topicId: t.id }));
  }

  private choices(lead: string, lines: string[], options: Button[], note: string): Reply {
    const plainText = [lead, ...lines, ...options.map((o, i) => `${i + 1}. ${o.label}`), note]
      .filter(Boolean)
      .join('\n');
    const card = this.cards.expand('clarify', {
      lines: [lead, ...lines],
      options,
      note,
      fallbackText: plainText,
    });
    return { text: lead, card, plainText, asks: true };
  }
}
