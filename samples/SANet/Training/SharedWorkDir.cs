using System.Text;
using NetSpec.Runtime.Distributed;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// Checks that every rank sees rank 0's --work-dir (a resumed run on any rank reads what rank 0 wrote): rank 0 writes
/// a token file of random content, broadcasts its name and content, every other rank reads it, the ranks that could not
/// are counted by an all-reduce, and rank 0 removes the token (and the folder, if it made it and the check failed).
/// The token's name carries the temporary-file marker, so a run killed meanwhile leaves nothing a later run keeps.
/// </summary>
public static class SharedWorkDir
{
    private const int MessageBytes = 256;

    /// <summary>Throws on every rank when some rank cannot see the token (a <see cref="RankAgreement"/> step: rank 0 reports).</summary>
    public static void Check(ICommunicator comm, string workDir)
    {
        byte[] message = new byte[MessageBytes];
        string? token = null;
        bool created = false;
        Exception? rank0Failure = null;
        if (comm.Rank == 0)
        {
            try
            {
                WorkDir.RefuseFile(workDir);
                created = !Directory.Exists(workDir);
                Directory.CreateDirectory(workDir);
                string name = $".rank-token{AtomicFile.TempMarker}{Guid.NewGuid():N}";
                string content = Guid.NewGuid().ToString("N");
                token = Path.Combine(workDir, name);
                File.WriteAllText(token, content);
                Encoding.ASCII.GetBytes($"{name}\n{content}").CopyTo(message, 0);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CheckpointException)
            {
                rank0Failure = e is CheckpointException ? e : new CheckpointException($"--work-dir {workDir}: cannot write there ({e.Message})");
            }
        }

        comm.Broadcast(message, root: 0); // all zeros: rank 0 could not write its token
        Span<double> blind = [comm.Rank == 0 || Sees(workDir, message) ? 0 : 1];
        comm.AllReduceSum(blind);
        if (comm.Rank == 0)
        {
            Remove(token, created && blind[0] > 0 ? workDir : null);
            if (rank0Failure is not null)
                throw rank0Failure;
        }
        else if (message[0] == 0)
        {
            throw new RankStoppedException();
        }

        if (blind[0] > 0)
        {
            throw new CheckpointException(
                $"--work-dir {Path.GetFullPath(workDir)}: {blind[0]:F0} of {comm.Size - 1} other ranks cannot see it (rank 0 wrote a token file they could not read); give a folder on a file system every rank shares, by the same path");
        }
    }

    private static bool Sees(string workDir, byte[] message)
    {
        string[] parts = Encoding.ASCII.GetString(message).TrimEnd('\0').Split('\n');
        if (parts.Length != 2)
            return false;
        try
        {
            return File.ReadAllText(Path.Combine(workDir, parts[0])) == parts[1];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Remove(string? token, string? createdFolder)
    {
        try
        {
            if (token is not null)
                File.Delete(token);
            if (createdFolder is not null && !Directory.EnumerateFileSystemEntries(createdFolder).Any())
                Directory.Delete(createdFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a token left behind carries the temporary marker: the next run's PrepareForWriting removes it
        }
    }
}
