namespace NetSpec.Samples.SANet.Cli;

/// <summary>A wrong argument or option value; printed as one line.</summary>
public sealed class UsageException(string message) : Exception(message);
