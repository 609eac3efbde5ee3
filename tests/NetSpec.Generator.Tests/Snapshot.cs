using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace NetSpec.Generator.Tests;

/// <summary>
/// Snapshot assertions with Verify's conventions: <c>Snapshots/{Class}.{Method}#{name}.verified.cs</c> sits beside
/// the test; on a mismatch <c>*.received.cs</c> is written and the test fails with a line diff. With
/// <c>NETSPEC_ACCEPT=1</c> the received text becomes the verified one.
/// </summary>
public static class Snapshot
{
    public static void Verify(string actual, string name, [CallerFilePath] string testFile = "", [CallerMemberName] string method = "", string? testClass = null)
    {
        string folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        string stem = $"{testClass ?? Path.GetFileNameWithoutExtension(testFile)}.{method}#{name}";
        string verified = Path.Combine(folder, stem + ".verified.cs");
        string received = Path.Combine(folder, stem + ".received.cs");
        Directory.CreateDirectory(folder);
        string normalized = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("NETSPEC_ACCEPT") == "1")
        {
            File.WriteAllText(verified, normalized);
            File.Delete(received);
            return;
        }

        string expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : "";
        if (expected == normalized)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, normalized);
        Assert.Fail($"{stem}: the generated text differs from {verified} (received written beside it; NETSPEC_ACCEPT=1 accepts).\n{LineDiff(expected, normalized)}");
    }

    /// <summary>The changed lines, as <c>- old line number: text</c> / <c>+ new line number: text</c>.</summary>
    public static string LineDiff(string expected, string actual, int maxLines = 60)
    {
        SideBySideDiffModel diff = SideBySideDiffBuilder.Diff(expected, actual);
        var text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < diff.OldText.Lines.Count && shown < maxLines; i++)
        {
            DiffPiece old = diff.OldText.Lines[i], @new = diff.NewText.Lines[i];
            if (old.Type is ChangeType.Deleted or ChangeType.Modified)
            {
                text.Append("- ").Append(old.Position).Append(": ").AppendLine(old.Text);
                shown++;
            }

            if (@new.Type is ChangeType.Inserted or ChangeType.Modified)
            {
                text.Append("+ ").Append(@new.Position).Append(": ").AppendLine(@new.Text);
                shown++;
            }
        }

        return shown == 0 ? "(whitespace or line-ending differences only)" : text.ToString();
    }
}

public class SnapshotHelperTests
{
    [Fact]
    public void Line_diff_shows_removed_and_added_lines_with_positions()
    {
        string diff = Snapshot.LineDiff("a\nb\nc\n", "a\nB\nc\n");
        Assert.Contains("- 2: b", diff);
        Assert.Contains("+ 2: B", diff);
        Assert.DoesNotContain(": a", diff);
    }
}
