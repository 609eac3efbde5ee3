namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// This rank stops because rank 0 reported an error that every rank ran into (rank 0 prints it; this rank exits
/// without printing it again).
/// </summary>
public sealed class RankStoppedException() : Exception("stopped: rank 0 reported the error");
