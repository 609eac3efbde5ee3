using System;
using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Parsing;

/// <summary>
/// Reads a spec file and the chain of files it <c>extends</c>, and merges them into one mapping
/// (see <see cref="SpecMerger"/>). Parent paths are relative to the extending file's folder and are
/// passed to the resolver relative to the root spec's folder.
/// </summary>
internal static class SpecLoader
{
    private const int MaxDepth = 16;

    public static YMapping? Load(string path, string text, Func<string, string?> resolve, DiagnosticBag diagnostics) =>
        Load(path, "", text, resolve, diagnostics, new List<string>());

    private static YMapping? Load(string path, string relative, string text, Func<string, string?> resolve,
        DiagnosticBag diagnostics, List<string> chain)
    {
        YNode? root = YamlTreeReader.Read(path, text, diagnostics);
        if (root is null)
            return null;
        if (root is not YMapping map)
        {
            diagnostics.Report(DiagnosticCatalog.Structure, root.Location, $"A spec file is a mapping of sections (classes:, inputs:, graph: …), not {root.KindName}");
            return null;
        }

        YNode? extends = map.Get("extends");
        if (extends is null)
            return map;
        if (extends is not YScalar parentName || parentName.IsNull)
        {
            diagnostics.Report(DiagnosticCatalog.BadValue, extends.Location, "extends: takes one file name, e.g. extends: sanet-r50.yaml");
            return null;
        }

        string parentRelative = PathText.Combine(PathText.Folder(relative), parentName.Value);
        string parentPath = PathText.Combine(PathText.Folder(path), parentName.Value);
        chain.Add(PathText.Normalize(relative.Length == 0 ? PathText.FileName(path) : relative));
        if (chain.Contains(PathText.Normalize(parentRelative)))
        {
            diagnostics.Report(DiagnosticCatalog.Extends, parentName.Location,
                $"extends cycle: {string.Join(" -> ", chain.Concat(new[] { parentRelative }))}");
            return null;
        }

        if (chain.Count > MaxDepth)
        {
            diagnostics.Report(DiagnosticCatalog.Extends, parentName.Location, $"extends chain deeper than {MaxDepth} files");
            return null;
        }

        string? parentText = resolve(parentRelative);
        if (parentText is null)
        {
            diagnostics.Report(DiagnosticCatalog.Extends, parentName.Location, $"extends: file '{parentName.Value}' not found (looked for '{parentPath}')");
            return null;
        }

        YMapping? parent = Load(parentPath, parentRelative, parentText, resolve, diagnostics, chain);
        return parent is null ? null : SpecMerger.Merge(parent, map, diagnostics);
    }
}
