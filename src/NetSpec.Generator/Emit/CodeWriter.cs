using System;
using System.Text;

namespace NetSpec.Generator.Emit;

/// <summary>A StringBuilder that indents: <c>using (w.Block("class X")) { … }</c> writes braces and indentation.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder text = new();
    private int depth;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
            text.Append(' ', 4 * depth).Append(line);
        text.Append('\n');
        return this;
    }

    public IDisposable Block(string header)
    {
        Line(header);
        Line("{");
        depth++;
        return new Closer(this, "}");
    }

    /// <summary>An initializer block closed by <c>};</c>.</summary>
    public IDisposable Initializer(string header)
    {
        Line(header);
        Line("{");
        depth++;
        return new Closer(this, "};");
    }

    public override string ToString() => text.ToString();

    private sealed class Closer(CodeWriter writer, string close) : IDisposable
    {
        public void Dispose()
        {
            writer.depth--;
            writer.Line(close);
        }
    }
}
