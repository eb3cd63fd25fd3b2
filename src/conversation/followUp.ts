/** How a dialog that waited for the user's reply ended, for the main dialog to act on. */
export type FollowUp =
  /** The user picked a topic: answer it. */
  | { kind: 'topic'; topicId: string; notHelped?: string[] }
  /** The message was not a reply to the question: treat it as a new message. */
  | { kind: 'unrelated' }
  /** Handled; nothing more to do. */
  | { kind: 'done' };
