import { z } from 'zod';

/**
 * What the bot's card buttons send back (Action.Submit data). The same type builds the buttons
 * (Button below) and reads the clicks (readSubmission, validated: a client may send anything), so
 * renaming an action or a field is a compile error on both sides.
 */
const submissionSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('topic'),
    topicId: z.string().max(100),
    /** "Check the tenant now": measure again, past the cache. */
    checkTenant: z.boolean().optional(),
  }),
  z.object({ action: z.literal('ask'), text: z.string().max(2000) }),
  z.object({ action: z.literal('feedback'), helpful: z.boolean(), topicId: z.string().max(100) }),
  z.object({ action: z.literal('none') }),
  z.object({ action: z.literal('flow'), flowId: z.string().max(100) }),
  z.object({
    action: z.literal('flowAnswer'),
    flowId: z.string().max(100),
    step: z.string().max(100),
    answer: z.enum(['yes', 'no', 'unknown', 'back', 'restart', 'leave']),
  }),
  z.object({ action: z.literal('fact'), topicId: z.string().max(100), key: z.string().max(50) }),
  z.object({ action: z.literal('menu') }),
  z.object({ action: z.literal('language'), language: z.string().max(10) }),
  z.object({
    action: z.literal('escalate'),
    step: z.enum(['start', 'skip', 'send', 'abort']),
    topicId: z.string().max(100).optional(),
  }),
]);

export type Submission = z.infer<typeof submissionSchema>;

/** One kind of click: `SubmissionOf<'flowAnswer'>` is a guided-check answer. */
export type SubmissionOf<A extends Submission['action']> = Extract<Submission, { action: A }>;

/** A guided check's moves: its answers, and back, restart and leave. */
export type FlowMove = SubmissionOf<'flowAnswer'>['answer'];

/** A card button built in code: its label and what a click sends. */
export interface Button {
  label: string;
  data: Submission;
}

export const button = (label: string, data: Submission): Button => ({ label, data });

export function readSubmission(value: unknown): Submission | undefined {
  const result = submissionSchema.safeParse(value);
  return result.success ? result.data : undefined;
}
