import type { DialogContext } from './dialogLibrary';
import type { CommandContext } from '../domain/language/commandRecognizer';

/** A dialog that waits for the user's reply says which replies it expects, so they are read as such. */
export interface AwaitsReply {
  awaitedReplies(state: object): CommandContext;
}

/** What the dialog waiting in this context expects; nothing when none is waiting. */
export function repliesAwaited(dc: DialogContext): CommandContext {
  const active = dc.activeDialog;
  const dialog = active ? dc.findDialog(active.id) : undefined;
  return dialog && 'awaitedReplies' in dialog
    ? (dialog as unknown as AwaitsReply).awaitedReplies(active?.state ?? {})
    : {};
}
