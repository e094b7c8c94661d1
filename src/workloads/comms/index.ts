export type { Sentiment, SentimentLabel } from "./sentiment.ts";
export { analyzeSentiment } from "./sentiment.ts";
