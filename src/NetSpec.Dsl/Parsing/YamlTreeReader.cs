using System;
using System.Collections.Generic;
using System.IO;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NetSpec.Dsl.Parsing;

/// <summary>
/// Reads one YAML document into a <see cref="YNode"/> tree from YamlDotNet's parser events, keeping the
/// position of every token. Syntax errors become NS0001, duplicate keys NS0009, non-scalar keys NS0002.
/// </summary>
internal sealed class YamlTreeReader
{
    private readonly string path;
    private readonly DiagnosticBag diagnostics;
    private readonly Dictionary<string, YNode> anchors = new();
    private const int MaxDepth = 64;
    private Mark lastMark = Mark.Empty;
    private int depth;

    private YamlTreeReader(string path, DiagnosticBag diagnostics)
    {
        this.path = path;
        this.diagnostics = diagnostics;
    }

    /// <summary>The document's root, or null when the text is not valid YAML (diagnostics say why).</summary>
    public static YNode? Read(string path, string text, DiagnosticBag diagnostics) =>
        new YamlTreeReader(path, diagnostics).ReadDocument(text);

    private YNode? ReadDocument(string text)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            Expect<StreamStart>(parser);
            if (parser.Accept<StreamEnd>(out _))
                return Empty();
            Expect<DocumentStart>(parser);
            YNode root = ReadNode(parser);
            Expect<DocumentEnd>(parser);
            if (parser.Accept<DocumentStart>(out DocumentStart? second))
            {
                diagnostics.Report(DiagnosticCatalog.Structure, At(second.Start, 3),
                    "A spec file holds one YAML document; remove the second '---'");
                return null;
            }

            return root;
        }
        catch (YamlException e)
        {
            Mark m = e.Start.Line > 0 ? e.Start : lastMark;
            diagnostics.Report(DiagnosticCatalog.YamlSyntax, At(m, 1), Clean(e.Message));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or EndOfStreamException)
        {
            diagnostics.Report(DiagnosticCatalog.YamlSyntax, At(lastMark, 1),
                e is EndOfStreamException ? "the file ends inside a value" : "the structure is broken here (an unclosed bracket, brace or quote?)");
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet rejects some tokens (e.g. a malformed !!tag) with these instead of a YamlException.
            diagnostics.Report(DiagnosticCatalog.YamlSyntax, At(lastMark, 1), e.Message.Split('(')[0].Trim());
            return null;
        }
    }

    private YNode Empty() => new YMapping(new List<KeyValuePair<YScalar, YNode>>(), new SourceLocation(path, 1, 1, 0));

    private YNode ReadNode(IParser parser)
    {
        ParsingEvent e = Next(parser);
        if (++depth > MaxDepth)
            throw new YamlException(e.Start, e.End, $"nesting deeper than {MaxDepth} levels");
        try
        {
            return ReadNode(parser, e);
        }
        finally
        {
            depth--;
        }
    }

    private YNode ReadNode(IParser parser, ParsingEvent e)
    {
        YNode node;
        switch (e)
        {
            case Scalar s:
                node = new YScalar(s.Value, s.Style != ScalarStyle.Plain, ScalarLocation(s));
                Remember(s.Anchor, node);
                return node;
            case SequenceStart ss:
                var items = new List<YNode>();
                while (!parser.Accept<SequenceEnd>(out _))
                    items.Add(ReadNode(parser));
                Next(parser);
                node = new YSequence(items, At(ss.Start, 1));
                Remember(ss.Anchor, node);
                return node;
            case MappingStart ms:
                node = ReadMapping(parser, ms);
                Remember(ms.Anchor, node);
                return node;
            case AnchorAlias alias:
                if (anchors.TryGetValue(alias.Value.Value, out YNode? target))
                    return target;
                throw new YamlException(alias.Start, alias.End, $"Unknown alias '*{alias.Value.Value}'");
            default:
                throw new YamlException(e.Start, e.End, $"Unexpected {e.GetType().Name}");
        }
    }

    private YMapping ReadMapping(IParser parser, MappingStart start)
    {
        var entries = new List<KeyValuePair<YScalar, YNode>>();
        var keys = new HashSet<string>();
        var merged = new List<(int At, YNode Source)>();
        while (!parser.Accept<MappingEnd>(out _))
        {
            YNode key = ReadNode(parser);
            YNode value = ReadNode(parser);
            if (key is not YScalar k)
            {
                diagnostics.Report(DiagnosticCatalog.Structure, key.Location, $"A key must be a plain name, not {key.KindName}");
                continue;
            }

            if (k.Value == "<<" && !k.Quoted)
            {
                merged.Add((entries.Count, value));
                continue;
            }

            if (!keys.Add(k.Value))
            {
                diagnostics.Report(DiagnosticCatalog.Duplicate, k.Location, k.Value, " (this key is already used in this mapping)");
                continue;
            }

            entries.Add(new KeyValuePair<YScalar, YNode>(k, value));
        }

        Next(parser);
        for (int i = merged.Count - 1; i >= 0; i--)
            entries.InsertRange(merged[i].At, MergeKey(merged[i].Source, keys));
        return new YMapping(entries, At(start.Start, 1));
    }

    /// <summary>YAML's merge key <c>&lt;&lt;: *base</c>: the entries of the aliased mapping(s) that the mapping does not set itself.</summary>
    private List<KeyValuePair<YScalar, YNode>> MergeKey(YNode source, HashSet<string> keys)
    {
        var result = new List<KeyValuePair<YScalar, YNode>>();
        var sources = source is YSequence seq ? seq.Items : new List<YNode> { source };
        foreach (YNode s in sources)
        {
            if (s is not YMapping m)
            {
                diagnostics.Report(DiagnosticCatalog.Structure, s.Location, $"'<<' merges a mapping (<<: *name), not {s.KindName}");
                continue;
            }

            foreach (KeyValuePair<YScalar, YNode> e in m.Entries)
                if (keys.Add(e.Key.Value))
                    result.Add(e);
        }

        return result;
    }

    private void Remember(AnchorName anchor, YNode node)
    {
        if (!anchor.IsEmpty)
            anchors[anchor.Value] = node;
    }

    private ParsingEvent Next(IParser parser)
    {
        if (parser.Current is null && !parser.MoveNext())
            throw new YamlException(lastMark, lastMark, "Unexpected end of file");
        ParsingEvent e = parser.Current!;
        lastMark = e.Start;
        parser.MoveNext();
        return e;
    }

    private void Expect<T>(IParser parser)
        where T : ParsingEvent
    {
        ParsingEvent e = Next(parser);
        if (e is not T)
            throw new YamlException(e.Start, e.End, $"Expected {typeof(T).Name}, found {e.GetType().Name}");
    }

    private SourceLocation ScalarLocation(Scalar s)
    {
        int length = s.End.Line == s.Start.Line ? (int)(s.End.Column - s.Start.Column) : s.Value.Length;
        return At(s.Start, Math.Max(1, length));
    }

    private SourceLocation At(Mark m, int length) =>
        new(path, (int)Math.Max(1, m.Line), (int)Math.Max(1, m.Column), length);

    private static string Clean(string message)
    {
        int paren = message.IndexOf("): ", StringComparison.Ordinal);
        return paren >= 0 && message.StartsWith("(", StringComparison.Ordinal) ? message.Substring(paren + 3) : message;
    }
}
