// Type declarations for small packages that ship none.

declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(algorithm: string): Stemmer;
  export function algorithms(): string[];
}

declare module 'stopword' {
  const lists: Record<string, string[] | undefined>;
  export = lists;
}
