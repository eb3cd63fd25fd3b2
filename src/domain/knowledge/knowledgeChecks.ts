import path from 'node:path';
import type { KnowledgeFiles, LocaleFiles, ProblemList } from './knowledgeFiles';
import { commandNames, type FlowDefinition } from './schema';
import { foldText } from '../language/textAnalyzer';

/**
 * One rule about how the files of knowledge/ fit together, beyond each file's own schema (Rasa's
 * validator has the same shape: verify_intents, verify_utterances_in_stories…). Each problem it
 * finds names the file, the field and the reason.
 */
export interface KnowledgeCheck {
  name: string;
  /** What holds when the check passes, for authors reading `npm run kb:validate`. */
  rule: string;
  run(files: KnowledgeFiles, problems: ProblemList): void;
}

const topicIds = (files: KnowledgeFiles): Set<string> =>
  new Set(files.definitions.map((d) => d.definition.id));

/** The intents an example may carry besides topic ids; see TrainingExample. */
const COMMAND_INTENT = /^command:([A-Za-z]+)(?::([a-z]{2}))?$/;

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
}

/** Every step reachable from the start, and no way round in a circle: a guided check always ends. */
function checkFlowGraph(flow: FlowDefinition, file: string, problems: ProblemList): void {
  const nodes = new Set([...Object.keys(flow.steps), ...Object.keys(flow.outcomes)]);
  const visiting = new Set<string>();
  const done = new Set<string>();
  const walk = (node: string, trail: string): void => {
    if (done.has(node) || !(node in flow.steps)) return void done.add(node);
    if (visiting.has(node))
      return problems.add(file, `steps.${node}`, `the answers lead round in a circle (${trail})`);
    visiting.add(node);
    for (const target of Object.values(flow.steps[node] ?? {})) walk(target, `${trail} → ${target}`);
    visiting.delete(node);
    done.add(node);
  };
  walk(flow.start, flow.start);
  for (const node of nodes)
    if (!done.has(node))
      problems.add(
        file,
        node in flow.steps ? `steps.${node}` : `outcomes.${node}`,
        'never reached from the start',
      );
}

/** The language whose strings every other language must match: the default one, when it has strings. */
function referenceLocale(files: KnowledgeFiles): LocaleFiles | undefined {
  return files.locales.find(
    (l) => l.language === files.recognition.data?.defaultLanguage && l.strings.data !== undefined,
  );
}

/** A language the bot can load: its profile, strings and out-of-scope phrasings all read. */
const loadable = (locale: LocaleFiles): boolean =>
  locale.profile.data !== undefined &&
  locale.strings.data !== undefined &&
  locale.outOfScope.data !== undefined;

export const knowledgeChecks: readonly KnowledgeCheck[] = [
  {
    name: 'topic-ids',
    rule: 'a topic file is named after its id, and its link keys are unique',
    run(files, problems) {
      for (const { file, definition } of files.definitions) {
        if (definition.id !== path.basename(file, '.yaml'))
          problems.add(file, 'id', `"${definition.id}" must match the file name`);
        const keys = definition.links.map((l) => l.key);
        keys.forEach(
          (k, i) => keys.indexOf(k) !== i && problems.add(file, `links.${i}.key`, `duplicate key "${k}"`),
        );
      }
    },
  },
  {
    name: 'some-topics',
    rule: 'knowledge/topics/ holds at least one topic',
    run(files, problems) {
      if (files.definitions.length === 0) problems.add(files.topicsDir, '(folder)', 'no topic files found');
    },
  },
  {
    name: 'error-catalog-topics',
    rule: 'each sync error leads to topics that exist, by attributes that errors.yaml lists',
    run(files, problems) {
      const { file, data: catalog } = files.errorCatalog;
      const ids = topicIds(files);
      catalog?.errors.forEach((e, i) => {
        for (const [field, id] of [
          ['topic', e.topic],
          ...Object.entries(e.topicByAttribute).map(([a, t]) => [`topicByAttribute.${a}`, t]),
        ]) {
          if (!ids.has(id as string)) problems.add(file, `errors.${i}.${field}`, `unknown topic "${id}"`);
        }
        for (const attribute of Object.keys(e.topicByAttribute)) {
          if (!(attribute in catalog.attributes))
            problems.add(
              file,
              `errors.${i}.topicByAttribute.${attribute}`,
              `"${attribute}" is not listed under attributes`,
            );
        }
      });
    },
  },
  {
    name: 'related-topics',
    rule: 'a topic relates only to topics that exist',
    run(files, problems) {
      const ids = topicIds(files);
      for (const { definition } of files.definitions) {
        definition.related.forEach((r, i) => {
          if (!ids.has(r))
            problems.add(
              path.join(files.topicsDir, `${definition.id}.yaml`),
              `related.${i}`,
              `unknown topic "${r}"`,
            );
        });
      }
    },
  },
  {
    name: 'flow-graphs',
    rule: 'a guided check is named after its id, belongs to a topic, and each answer leads to a step or outcome, all reached from the start and never round in a circle',
    run(files, problems) {
      const ids = topicIds(files);
      for (const { file, flow } of files.flows) {
        if (flow.id !== path.basename(file, '.yaml'))
          problems.add(file, 'id', `"${flow.id}" must match the file name`);
        if (!ids.has(flow.topic)) problems.add(file, 'topic', `unknown topic "${flow.topic}"`);
        const nodes = new Set([...Object.keys(flow.steps), ...Object.keys(flow.outcomes)]);
        if (!(flow.start in flow.steps)) problems.add(file, 'start', `no step "${flow.start}"`);
        for (const [step, next] of Object.entries(flow.steps)) {
          for (const [answer, target] of Object.entries(next)) {
            if (!nodes.has(target))
              problems.add(file, `steps.${step}.${answer}`, `no step or outcome "${target}"`);
          }
        }
        checkFlowGraph(flow, file, problems);
      }
    },
  },
  {
    name: 'language-folders',
    rule: 'every language recognition.yaml lists, the default one too, has a folder under locales/ whose language.yaml carries its code',
    run(files, problems) {
      const { file, data: recognition } = files.recognition;
      for (const language of recognition?.languages ?? []) {
        if (!files.localeFolders.includes(language))
          problems.add(file, 'languages', `no folder locales/${language}/`);
      }
      if (recognition && !files.localeFolders.includes(recognition.defaultLanguage))
        problems.add(file, 'defaultLanguage', `no folder locales/${recognition.defaultLanguage}/`);
      for (const { language, profile } of files.locales) {
        if (profile.data && profile.data.code !== language)
          problems.add(
            profile.file,
            'code',
            `"${profile.data.code}" must match the folder name "${language}"`,
          );
      }
    },
  },
  {
    name: 'example-intents',
    rule: 'each line of examples.tsv names a topic, a command, vague or out-of-scope, and has a text',
    run(files, problems) {
      const ids = topicIds(files);
      const languages = files.recognition.data?.languages ?? [];
      for (const { examples } of files.locales) {
        for (const { line, intent, text } of examples.lines) {
          const command = COMMAND_INTENT.exec(intent);
          const known =
            ids.has(intent) ||
            intent === 'vague' ||
            intent === 'out-of-scope' ||
            (command !== null &&
              (commandNames as readonly string[]).includes(command[1] as string) &&
              (command[1] === 'switchLanguage') === (command[2] !== undefined) &&
              (command[2] === undefined || languages.includes(command[2])));
          if (!known) problems.add(examples.file, `line ${line}`, `unknown intent "${intent}"`);
          else if (!text.trim())
            problems.add(examples.file, `line ${line}`, 'has no text (intent<TAB>persona<TAB>text)');
        }
      }
    },
  },
  {
    name: 'error-texts',
    rule: 'each language explains every sync error of errors.yaml, and no other',
    run(files, problems) {
      const catalog = files.errorCatalog.data;
      for (const { language, errors } of files.locales) {
        const texts = new Map(Object.entries(errors.data ?? {}));
        for (const e of catalog?.errors ?? []) {
          if (errors.data && !texts.has(e.code))
            problems.add(errors.file, e.code, `the ${language} text of error ${e.code} is missing`);
        }
        for (const code of texts.keys()) {
          if (catalog && !catalog.errors.some((e) => e.code === code))
            problems.add(errors.file, code, 'no such error in errors.yaml');
        }
      }
    },
  },
  {
    name: 'flow-texts',
    rule: 'each language has the text of every guided check, with exactly its steps and outcomes',
    run(files, problems) {
      for (const { language, flowTexts } of files.locales) {
        for (const [i, { id, file, exists, data: text }] of flowTexts.entries()) {
          const flow = files.flows[i]?.flow;
          if (!exists) problems.add(file, '(file)', `guided check "${id}" has no ${language} text`);
          if (!text || !flow) continue;
          for (const step of Object.keys(flow.steps))
            if (!text.steps[step]) problems.add(file, `steps.${step}`, 'missing');
          for (const outcome of Object.keys(flow.outcomes))
            if (!text.outcomes[outcome]) problems.add(file, `outcomes.${outcome}`, 'missing');
          for (const step of Object.keys(text.steps))
            if (!(step in flow.steps))
              problems.add(file, `steps.${step}`, `no such step in flows/${flow.id}.yaml`);
          for (const outcome of Object.keys(text.outcomes))
            if (!(outcome in flow.outcomes))
              problems.add(file, `outcomes.${outcome}`, `no such outcome in flows/${flow.id}.yaml`);
        }
      }
    },
  },
  {
    name: 'step-answers',
    rule: "a guided check's answer words mean yes or no, never both",
    run(files, problems) {
      for (const { flowTexts } of files.locales) {
        for (const { file, data: text } of flowTexts) {
          for (const [step, { answers }] of Object.entries(text?.steps ?? {})) {
            const yes = new Set(answers?.yes.map(foldText));
            for (const phrase of answers?.no ?? [])
              if (yes.has(foldText(phrase)))
                problems.add(file, `steps.${step}.answers`, `"${phrase}" is both a yes and a no`);
          }
        }
      }
    },
  },
  {
    name: 'outcome-words',
    rule: 'the words that tell an outcome mean solved or not solved, never both',
    run(files, problems) {
      for (const { profile } of files.locales) {
        const words = profile.data?.outcomeWords;
        const yes = new Set(words?.yes.map(foldText));
        for (const phrase of words?.no ?? [])
          if (yes.has(foldText(phrase)))
            problems.add(profile.file, 'outcomeWords', `"${phrase}" is both a yes and a no`);
      }
    },
  },
  {
    name: 'topic-texts',
    rule: "each language has the text of every topic and no other: a title for each link, and the texts of the topic's diagnosis rules",
    run(files, problems) {
      const ids = topicIds(files);
      for (const { language, dir, profile, topicTexts, topicTextIds } of files.locales) {
        for (const [i, { id, file, exists, data: text }] of topicTexts.entries()) {
          const def = files.definitions[i]?.definition;
          if (!exists) problems.add(file, '(file)', `topic "${id}" has no ${language} text`);
          // Without its profile the language is not checked further: its folder has problems enough.
          if (!text || !profile.data || !def) continue;
          for (const key of Object.keys(text.links)) {
            if (!def.links.some((l) => l.key === key))
              problems.add(file, `links.${key}`, `no link "${key}" in topics/${def.id}.yaml`);
          }
          for (const link of def.links)
            if (!text.links[link.key])
              problems.add(file, `links.${link.key}`, `missing the title of link "${link.key}"`);
          if (def.diagnosis) {
            if (!text.diagnosis)
              problems.add(
                file,
                'diagnosis',
                `topics/${def.id}.yaml has diagnosis rules: their ${language} text is missing`,
              );
            for (const option of def.diagnosis.options) {
              if (text.diagnosis && !text.diagnosis.options[option.key])
                problems.add(file, `diagnosis.options.${option.key}`, 'missing');
            }
            for (const rule of def.diagnosis.rules) {
              if (text.diagnosis && !text.diagnosis.conclusions[rule.conclusion])
                problems.add(file, `diagnosis.conclusions.${rule.conclusion}`, 'missing');
              for (const step of rule.startWith)
                if (step > text.steps.length)
                  problems.add(
                    file,
                    'steps',
                    `topics/${def.id}.yaml: rule ${rule.conclusion} starts with step ${step}, but there are ${text.steps.length} steps`,
                  );
            }
          } else if (text.diagnosis) {
            problems.add(file, 'diagnosis', `topics/${def.id}.yaml has no diagnosis rules for this text`);
          }
        }
        for (const id of topicTextIds) {
          if (!ids.has(id))
            problems.add(
              path.join(dir, 'topics', `${id}.yaml`),
              '(file)',
              'no topic of this id in knowledge/topics/',
            );
        }
      }
    },
  },
  {
    name: 'vague-options',
    rule: 'the symptoms offered for a vague message are topics that exist',
    run(files, problems) {
      const ids = topicIds(files);
      files.recognition.data?.vagueOptions.forEach((id, i) => {
        if (!ids.has(id)) problems.add(files.recognition.file, `vagueOptions.${i}`, `unknown topic "${id}"`);
      });
    },
  },
  {
    name: 'telltale-topics',
    rule: 'a telltale names a topic that exists',
    run(files, problems) {
      const ids = topicIds(files);
      files.recognition.data?.telltales.forEach((t, i) => {
        if (!ids.has(t.topic))
          problems.add(files.recognition.file, `telltales.${i}.topic`, `unknown topic "${t.topic}"`);
      });
    },
  },
  {
    name: 'string-parity',
    rule: 'every language says everything the default language says, with the same placeholders, and nothing else',
    run(files, problems) {
      const reference = referenceLocale(files);
      const ref = reference?.strings.data;
      if (!reference || !ref) return;
      for (const locale of files.locales) {
        const own = locale.strings.data;
        if (locale === reference || !own || !loadable(locale)) continue;
        const file = locale.strings.file;
        for (const [key, text] of Object.entries(ref)) {
          const translated = own[key];
          if (translated === undefined) problems.add(file, key, `missing (present in ${reference.language})`);
          else if (placeholders(translated).join() !== placeholders(text).join()) {
            problems.add(
              file,
              key,
              `placeholders {${placeholders(translated).join('}, {')}} differ from ${reference.language}'s {${placeholders(text).join('}, {')}}`,
            );
          }
        }
        for (const key of Object.keys(own)) {
          if (!(key in ref)) problems.add(file, key, `unknown key (not in ${reference.language})`);
        }
      }
    },
  },
];
