/**
 * What a config amounts to, shown beside the form so a researcher sees the data and model size before starting.
 * MLP: embedding p×d shared by both operands, concat (2d) → hidden h (ReLU) → p logits, all with biases but the
 * embedding: p·d + (2d·h + h) + (h·p + p) parameters.
 */
export function runSize(p: number, trainFraction: number, embedDim: number, hiddenDim: number) {
  const pairs = p * p;
  const trainPairs = Math.round(trainFraction * pairs);
  return {
    pairs,
    trainPairs,
    testPairs: pairs - trainPairs,
    frequencies: Math.floor((p - 1) / 2),
    parameters: p * embedDim + (2 * embedDim * hiddenDim + hiddenDim) + (hiddenDim * p + p),
  };
}
