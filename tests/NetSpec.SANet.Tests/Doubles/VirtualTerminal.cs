using System.Text;

namespace NetSpec.SANet.Tests.Doubles;

/// <summary>
/// The screen a terminal of <paramref name="columns"/> would show for some output: printable characters with
/// autowrap (a character in the last column leaves the cursor there until the next one, as xterm does), CR, LF (as
/// CR LF, as a tty sends it),
/// and the CSI sequences Spectre's live display sends: cursor up/down, erase in line, SGR and cursor show/hide
/// (ignored). Rows are unbounded (no scrolling); any other sequence fails the test.
/// </summary>
public sealed class VirtualTerminal(int columns)
{
    private readonly List<char[]> rows = [];
    private int row, column;
    private bool pendingWrap;

    public static IReadOnlyList<string> Screen(string output, int columns)
    {
        var terminal = new VirtualTerminal(columns);
        terminal.Feed(output);
        return terminal.Lines();
    }

    public IReadOnlyList<string> Lines() => rows.Select(r => new string(r).TrimEnd()).ToList();

    public void Feed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\u001b')
            {
                i = Escape(text, i);
                continue;
            }

            switch (c)
            {
                case '\r':
                    column = 0;
                    pendingWrap = false;
                    break;
                case '\n': // a terminal's tty sends CR LF for LF (onlcr)
                    row++;
                    column = 0;
                    pendingWrap = false;
                    break;
                default:
                    Put(c);
                    break;
            }
        }
    }

    private void Put(char c)
    {
        if (pendingWrap)
        {
            row++;
            column = 0;
            pendingWrap = false;
        }

        Row()[column] = c;
        if (column == columns - 1)
            pendingWrap = true;
        else
            column++;
    }

    private char[] Row()
    {
        while (rows.Count <= row)
            rows.Add(Enumerable.Repeat(' ', columns).ToArray());
        return rows[row];
    }

    private int Escape(string text, int start)
    {
        if (start + 1 >= text.Length || text[start + 1] != '[')
            throw new InvalidOperationException($"unexpected escape at {start}: {Near(text, start)}");
        int i = start + 2;
        var parameters = new StringBuilder();
        while (i < text.Length && (char.IsDigit(text[i]) || text[i] is ';' or '?'))
            parameters.Append(text[i++]);
        char final = text[i];
        string p = parameters.ToString();
        int n = int.TryParse(p, out int value) ? value : 1;
        switch (final)
        {
            case 'm':
                break;
            case 'h' or 'l' when p.StartsWith('?'):
                break;
            case 'A':
                row = Math.Max(0, row - n);
                pendingWrap = false;
                break;
            case 'B':
                row += n;
                pendingWrap = false;
                break;
            case 'K':
                char[] line = Row();
                int from = p is "" or "0" ? column : 0;
                int to = p is "1" ? column + 1 : columns;
                Array.Fill(line, ' ', from, to - from);
                break;
            default:
                throw new InvalidOperationException($"unexpected sequence ESC[{p}{final}: {Near(text, start)}");
        }

        return i;
    }

    private static string Near(string text, int at) => text.Substring(at, Math.Min(20, text.Length - at)).Replace("\u001b", "ESC", StringComparison.Ordinal);
}
