import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { Entity } from './entityExtractor';

export interface NamedSyncError {
  code: string;
  /** The topic whose guidance fixes it, given the attributes the message names. */
  topicId: string;
  link?: string;
}

/** The first sync error type a message names, and the topic it belongs to (proxyAddresses → duplicate-email). */
export function namedSyncError(kb: KnowledgeBase, entities: Entity[]): NamedSyncError | undefined {
  const code = entities.find((e) => e.type === 'errorCode')?.value;
  const error = kb.errorCatalog.errors.find((e) => e.code === code);
  if (!error) return undefined;
  const attributes = entities.filter((e) => e.type === 'attribute').map((e) => e.value as string);
  const byAttribute = attributes.map((a) => error.topicByAttribute[a]).find((t) => t !== undefined);
  return { code: error.code, topicId: byAttribute ?? error.topic, link: error.link };
}
