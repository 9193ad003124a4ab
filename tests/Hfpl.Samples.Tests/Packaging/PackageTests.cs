using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Hfpl.Samples.Tests.Packaging;

/// <summary>
/// <c>dotnet pack</c> of the solution as built by the test run: the libraries carry repository metadata, a symbols package and
/// the package README with absolute links; the <c>hfpl</c> tool installs with <c>dotnet tool install</c> from the packed folder and runs.
/// </summary>
public sealed class PackageTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "hfpl-pack-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Hfpl.sln"))) return dir.FullName;
        throw new InvalidOperationException("Hfpl.sln not found above the test binaries.");
    }

    static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    [Fact]
    public void Packages_have_repository_metadata_and_symbols_and_the_tool_installs_from_the_packed_folder()
    {
        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        var pack = Run("dotnet", "pack", Path.Combine(root, "Hfpl.sln"), "-c", configuration, "--no-build", "-o", folder, "-nologo");
        Assert.True(pack.Code == 0, pack.Output);

        foreach (var id in new[] { "Hfpl.Core", "Hfpl.Losses" })
        {
            var package = Assert.Single(Directory.GetFiles(folder, id + ".*.nupkg"));
            Assert.Single(Directory.GetFiles(folder, id + ".*.snupkg"));
            using var zip = ZipFile.OpenRead(package);
            var nuspec = XDocument.Load(zip.GetEntry(id + ".nuspec")!.Open());
            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            var repository = metadata.Element(ns + "repository")!;
            Assert.StartsWith("https://", repository.Attribute("url")!.Value);
            Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")!.Value);
            Assert.Contains("CHANGELOG.md", metadata.Element(ns + "releaseNotes")!.Value);
            Assert.Equal(["net10.0", "net8.0"], metadata.Element(ns + "dependencies")!.Elements(ns + "group").Select(g => g.Attribute("targetFramework")!.Value).Order());
            Assert.NotNull(zip.GetEntry("lib/net8.0/" + id + ".dll"));
            // The package page's README links with absolute addresses (relative ones break on a package page).
            using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
            var text = readme.ReadToEnd();
            Assert.DoesNotMatch(@"\]\((?!https://)", text);
            Assert.Contains("](https://", text);
        }

        var tools = Path.Combine(folder, "tools");
        var install = Run("dotnet", "tool", "install", "Hfpl.Tool", "--tool-path", tools, "--add-source", folder, "--version", "0.1.0");
        Assert.True(install.Code == 0, install.Output);
        var check = Run(Path.Combine(tools, "hfpl"), "check");
        Assert.True(check.Code == 0, check.Output);
        Assert.Contains("libtorch", check.Output);
    }
}
