namespace NetSpec.Samples.SANet.Training;

/// <summary>A loss became NaN or infinite; the message names the iteration, the term and the last good checkpoint.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
