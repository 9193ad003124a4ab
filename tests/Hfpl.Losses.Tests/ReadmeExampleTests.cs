using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Hfpl.Losses.Tests;

/// <summary>
/// The README's C# snippets, taken from README.md (copied next to the tests) and compiled with Roslyn as they are written, then run:
/// a snippet that no longer compiles or throws fails here. Only what the reader is told to supply is added around them (a
/// network <c>myNet</c>, <c>images</c> and <c>labels</c>).
/// </summary>
public class ReadmeExampleTests
{
    static IReadOnlyList<string> Snippets()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var section = readme[readme.IndexOf("## Adding the add-on to your network", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n### ", StringComparison.Ordinal)];
        return Regex.Matches(section, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToArray();
    }

    /// <summary>Compiles <paramref name="snippet"/> as a program (its using lines first, then <paramref name="prelude"/>, the
    /// snippet's statements and <paramref name="types"/>) against the test's own assemblies, and runs it.</summary>
    static void CompileAndRun(string snippet, string prelude, string types)
    {
        var lines = snippet.Split('\n');
        var usings = string.Join("\n", lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Trim().Length == 0));
        var body = string.Join("\n", lines.SkipWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Trim().Length == 0));
        var source = $"{usings}\n{prelude}\n{body}\n{types}";
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location))
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .DistinctBy(Path.GetFileName)
            .Where(p => { try { AssemblyName.GetAssemblyName(p); return true; } catch (BadImageFormatException) { return false; } })
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("ReadmeSnippet", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        using var assembly = new MemoryStream();
        var emitted = compilation.Emit(assembly);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(emitted.Success, "the README snippet does not compile:\n" + string.Join("\n", errors) + "\n---\n" + source);
        var entry = Assembly.Load(assembly.ToArray()).EntryPoint!;
        entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
    }

    [Fact]
    public void The_readme_has_the_training_snippet_and_the_dependency_injection_snippet()
    {
        var snippets = Snippets();
        Assert.Equal(2, snippets.Count);
        Assert.Contains("loss.backward();", snippets[0]);
        Assert.Contains("AddFeatureSimilarityLoss", snippets[1]);
    }

    [Fact]
    public void The_training_snippet_compiles_as_written_and_trains_a_cam_network()
    {
        CompileAndRun(Snippets()[0],
            prelude: """
                var myNet = new MyNet();
                using var images = TorchSharp.torch.rand(2, 3, 16, 16);
                using var labels = TorchSharp.torch.tensor(new float[,] { { 1, 0, 1, 0 }, { 0, 1, 0, 0 } });
                """,
            types: """
                sealed class MyNet
                {
                    readonly TorchSharp.Modules.Conv2d conv = TorchSharp.torch.nn.Conv2d(3, 4, 3, padding: 1);
                    public TorchSharp.torch.Tensor Cams(TorchSharp.torch.Tensor x) => conv.call(x);
                }
                """);
    }

    [Fact]
    public void The_dependency_injection_snippet_compiles_as_written_and_resolves_validated_modules() =>
        CompileAndRun(Snippets()[1], prelude: "", types: "");
}
