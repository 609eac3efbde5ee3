namespace NetSpec.Samples.SANet.Training;

/// <summary>A data-parallel run cannot go on: a rank other than 0 failed (its message names it) or rank 0 counts the failures.</summary>
public sealed class RankFailedException(string message, Exception? inner = null) : Exception(message, inner);
