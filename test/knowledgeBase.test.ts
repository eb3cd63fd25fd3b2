import { loadKnowledge } from '../src/domain/knowledge/loadKnowledge';
import { knowledgeDir } from './support/assistant';

describe('KnowledgeBase.pack', () => {
  const kb = loadKnowledge(knowledgeDir);

  it('gives each language its own texts', () => {
    expect(kb.pack('nl').profile.code).toBe('nl');
    expect(kb.pack('de').strings['menu.title']).not.toBe(kb.pack('en').strings['menu.title']);
  });

  it('throws on a language the bot does not speak instead of answering in the default one', () => {
    expect(() => kb.pack('pt')).toThrow('no language pack for "pt" (the bot speaks de, en, es, fr, nl)');
    expect(() => kb.topic(kb.topicIds[0] as string, 'EN')).toThrow('no language pack for "EN"');
  });
});
