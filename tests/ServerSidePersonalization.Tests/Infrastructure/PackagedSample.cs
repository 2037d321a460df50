using System.Xml.Linq;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// The libraries as a team installs them: every project under <c>src/</c> packed (<c>dotnet pack --no-build</c>, a version
/// of its own per test run) into a local feed, and a copy of the Storefront sample outside the repository whose project
/// references became package references, restored from that feed alone (everything else from the machine's package
/// folder, never the network) and published once per test run.
/// </summary>
internal static class PackagedSample
{
    private static readonly Lazy<Task<Packages>> Built = new(BuildAsync);

    /// <summary>The feed, the version packed and the published copy of the sample.</summary>
    public static Task<Packages> Value => Built.Value;

    /// <summary>The published copy, for <see cref="PublishedSample.StartAsync(IReadOnlyDictionary{string, string}, Task{string})"/>.</summary>
    public static async Task<string> PublishedAsync() => (await Value).Published;

    private static async Task<Packages> BuildAsync()
    {
        var root = Dotnet.RepositoryRoot;
        var work = Directory.CreateTempSubdirectory("ssp-packaged-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(work, recursive: true);

        // A version no earlier run used, so no package folder can hold a stale copy of it.
        var version = "0.1.0-test." + Guid.NewGuid().ToString("N")[..12];
        var feed = Path.Combine(work, "feed");
        var libraries = Directory.GetDirectories(Path.Combine(root, "src"))
            .Where(directory => File.Exists(Path.Combine(directory, Path.GetFileName(directory) + ".csproj")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToArray();
        foreach (var library in libraries)
        {
            await Dotnet.RunAsync(root, "pack", Path.Combine(root, "src", library), "-c", "Release", "--no-build", "-o", feed, "-p:Version=" + version);
        }

        var sample = Path.Combine(work, "Storefront");
        CopySample(Path.Combine(root, "samples", "Storefront"), sample);
        RewriteProject(Path.Combine(sample, "Storefront.csproj"), Path.Combine(root, "Directory.Packages.props"), version);
        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(work, "packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackages()}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        var published = Path.Combine(work, "out");
        await Dotnet.RunAsync(sample, "publish", "-c", "Release", "-o", published);
        return new Packages(feed, version, libraries, published);
    }

    private static void CopySample(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>
    /// What <c>dotnet add package</c> would leave: each reference to a project under src/ becomes a package reference
    /// at <paramref name="version"/>, other package references get the version the repository pins, and the properties
    /// the repository's Directory.Build.props supplied are written in.
    /// </summary>
    private static void RewriteProject(string path, string versionsPath, string version)
    {
        var pinned = XDocument.Load(versionsPath).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
        var project = XDocument.Load(path);
        var root = project.Root!;
        foreach (var reference in root.Descendants("ProjectReference").ToList())
        {
            var name = Path.GetFileNameWithoutExtension((string)reference.Attribute("Include")!);
            reference.ReplaceWith(new XElement("PackageReference", new XAttribute("Include", name), new XAttribute("Version", version)));
        }

        foreach (var reference in root.Descendants("PackageReference").Where(e => e.Attribute("Version") is null))
        {
            reference.SetAttributeValue("Version", pinned[(string)reference.Attribute("Include")!]);
        }

        root.AddFirst(new XElement(
            "PropertyGroup",
            new XElement("TargetFramework", "net10.0"),
            new XElement("Nullable", "enable"),
            new XElement("ImplicitUsings", "enable")));
        project.Save(path);
    }

    private static string MachinePackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>What was packed and where the sample built from it was published.</summary>
    public sealed record Packages(string Feed, string Version, IReadOnlyList<string> Libraries, string Published);
}
