import { CloudAdapter, DeliveryModes, type Activity, type TurnContext } from 'botbuilder';

/**
 * The CloudAdapter, plus one in-process entry for the local Direct Line: a turn whose replies come
 * back as the result (delivery mode expectReplies) instead of being POSTed to a channel.
 */
export class AssistantAdapter extends CloudAdapter {
  async runExpectingReplies(
    activity: Partial<Activity>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<Partial<Activity>[]> {
    // '' = no Authorization header: only reached when the bot runs without an App ID.
    const response = await this.processActivity(
      '',
      { ...activity, deliveryMode: DeliveryModes.ExpectReplies } as Activity,
      logic,
    );
    return (response?.body as { activities?: Partial<Activity>[] } | undefined)?.activities ?? [];
  }
}
