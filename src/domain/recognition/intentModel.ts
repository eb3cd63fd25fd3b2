/**
 * A multinomial logistic regression (softmax) over sparse text features: the trained half of message
 * understanding. Chosen by measurement against @nlpjs/nlu and the fuse.js scorer (docs/understanding.md): on the same five-fold split it generalizes best to how users write.
 * Plain TypeScript with no dependencies, deterministic for a given corpus (seeded shuffles).
 */
import { CLASSIFIER } from './tuning';

export interface IntentScore {
  intent: string;
  score: number;
}

export interface TrainingSettings {
  epochs: number;
  learningRate: number;
  l2: number;
  /** A feature seen in fewer training examples than this is dropped: it cannot generalize. */
  minFeatureCount: number;
  /**
   * How much an intent with few examples is weighted up against one with many: 0 not at all, 1 fully
   * (every intent counts as much). Commands have a few dozen examples, out of scope hundreds.
   */
  classBalance: number;
}

const SEPARATOR = '\u0000';
const align4 = (n: number): number => Math.ceil(n / 4) * 4;

/** Deterministic pseudo-random numbers, so the same corpus always trains the same model. */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

export class IntentModel {
  private constructor(
    readonly classes: string[],
    private readonly featureIndex: Map<string, number>,
    private readonly weights: Float32Array[],
    private readonly bias: Float32Array,
  ) {}

  static train(
    examples: readonly { features: readonly string[]; intent: string }[],
    settings: TrainingSettings,
  ): IntentModel {
    const classes = [...new Set(examples.map((e) => e.intent))].sort();
    const classIndex = new Map(classes.map((c, i) => [c, i]));
    const counts = new Map<string, number>();
    for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
    const featureIndex = new Map<string, number>();
    for (const [feature, count] of counts)
      if (count >= settings.minFeatureCount || feature.startsWith('w:'))
        featureIndex.set(feature, featureIndex.size);
    const classCount = classes.length;
    const weights = classes.map(() => new Float32Array(featureIndex.size));
    const bias = new Float32Array(classCount);
    const perClass = new Map<number, number>();
    for (const e of examples) {
      const c = classIndex.get(e.intent) as number;
      perClass.set(c, (perClass.get(c) ?? 0) + 1);
    }
    const average = examples.length / classCount;
    const classWeight = classes.map((_, c) =>
      Math.pow(average / (perClass.get(c) ?? 1), settings.classBalance),
    );
    const rows = examples.map((e) => ({
      x: e.features.map((f) => featureIndex.get(f)).filter((i): i is number => i !== undefined),
      y: classIndex.get(e.intent) as number,
    }));
    const random = seededRandom(CLASSIFIER.shuffleSeed);
    const order = rows.map((_, i) => i);
    const p = new Float64Array(classCount);
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      const rate = settings.learningRate / (1 + epoch * CLASSIFIER.learningRateDecay);
      const decay = 1 - rate * settings.l2;
      for (const r of order) {
        const { x, y } = rows[r] as { x: number[]; y: number };
        if (x.length === 0) continue;
        const scale = 1 / Math.sqrt(x.length);
        IntentModel.probabilities(x, scale, weights, bias, p);
        const importance = classWeight[y] as number;
        for (let c = 0; c < classCount; c++) {
          const gradient = ((p[c] as number) - (c === y ? 1 : 0)) * importance;
          if (Math.abs(gradient) < CLASSIFIER.minGradient) continue;
          const w = weights[c] as Float32Array;
          const step = rate * gradient * scale;
          for (const k of x) w[k] = (w[k] as number) * decay - step;
          bias[c] = (bias[c] as number) - rate * gradient * CLASSIFIER.biasRateShare;
        }
      }
    }
    return new IntentModel(classes, featureIndex, weights, bias);
  }

  private static probabilities(
    x: readonly number[],
    scale: number,
    weights: readonly Float32Array[],
    bias: Float32Array,
    out: Float64Array,
  ): void {
    let max = -Infinity;
    for (let c = 0; c < weights.length; c++) {
      const w = weights[c] as Float32Array;
      let z = bias[c] as number;
      for (const k of x) z += (w[k] as number) * scale;
      out[c] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let c = 0; c < weights.length; c++) {
      out[c] = Math.exp((out[c] as number) - max);
      sum += out[c] as number;
    }
    for (let c = 0; c < weights.length; c++) out[c] = (out[c] as number) / sum;
  }

  /** Every intent with its probability, best first. */
  predict(features: readonly string[]): IntentScore[] {
    const x = features.map((f) => this.featureIndex.get(f)).filter((i): i is number => i !== undefined);
    const p = new Float64Array(this.classes.length);
    // Unknown features still count in the scale: a message mostly of unknown words is less certain.
    IntentModel.probabilities(x, 1 / Math.sqrt(Math.max(1, features.length)), this.weights, this.bias, p);
    return this.classes
      .map((intent, c) => ({ intent, score: p[c] as number }))
      .sort((a, b) => b.score - a.score || a.intent.localeCompare(b.intent));
  }

  /**
   * The model as one binary file: a JSON header (classes, bias, sizes), the features separated by NUL,
   * then the weights as little-endian float32, class by class. Loading maps the weights in place: no
   * JSON of megabytes to parse and no base64 to decode, which left ~60 MB of RSS behind at start-up.
   */
  toBuffer(): Buffer {
    const features = [...this.featureIndex.keys()];
    if (features.some((f) => f.includes(SEPARATOR))) throw new Error('a feature contains the separator');
    const featureBytes = Buffer.from(features.join(SEPARATOR), 'utf8');
    const header = Buffer.from(
      JSON.stringify({ classes: this.classes, bias: [...this.bias], featureBytes: featureBytes.length }),
      'utf8',
    );
    const weightsStart = align4(4 + header.length + featureBytes.length);
    const out = Buffer.alloc(weightsStart + this.weights.length * features.length * 4);
    out.writeUInt32LE(header.length, 0);
    header.copy(out, 4);
    featureBytes.copy(out, 4 + header.length);
    this.weights.forEach((w, c) =>
      Buffer.from(w.buffer, w.byteOffset, w.byteLength).copy(out, weightsStart + c * w.byteLength),
    );
    return out;
  }

  static fromBuffer(data: Buffer): IntentModel {
    const headerLength = data.readUInt32LE(0);
    const header = JSON.parse(data.toString('utf8', 4, 4 + headerLength)) as {
      classes: string[];
      bias: number[];
      featureBytes: number;
    };
    const featuresEnd = 4 + headerLength + header.featureBytes;
    const features = data.toString('utf8', 4 + headerLength, featuresEnd).split(SEPARATOR);
    const weightsStart = align4(featuresEnd);
    const count = features.length;
    if (
      header.bias.length !== header.classes.length ||
      data.length !== weightsStart + header.classes.length * count * 4
    )
      throw new Error('the intent model does not fit its feature list');
    // A Float32Array view needs a 4-aligned offset; a pooled Buffer may not give one.
    const bytes = (data.byteOffset + weightsStart) % 4 === 0 ? data : Buffer.from(data);
    const all = new Float32Array(
      bytes.buffer,
      bytes.byteOffset + weightsStart,
      header.classes.length * count,
    );
    const weights = header.classes.map((_, c) => all.subarray(c * count, (c + 1) * count));
    return new IntentModel(
      header.classes,
      new Map(features.map((f, i) => [f, i])),
      weights,
      Float32Array.from(header.bias),
    );
  }
}
