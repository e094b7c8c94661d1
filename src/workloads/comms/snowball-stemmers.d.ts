// The package ships no types; this is the part of its API the comms workload uses.
declare module "snowball-stemmers" {
  interface Stemmer { stem(word: string): string }
  const snowball: { newStemmer(algorithm: string): Stemmer; algorithms(): string[] };
  export = snowball;
}
