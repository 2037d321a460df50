using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Samples;

/// <summary>
/// The packages a team installs: <c>dotnet pack</c> of every library under src/, and a copy of the Storefront sample built
/// against those packages instead of the project references (<see cref="PackagedSample"/>), started as a real process.
/// </summary>
public sealed class StorefrontFromPackagesTests
{
    [Fact]
    public async Task Home_SampleBuiltFromThePackages_ServesAVariationOfTheHero()
    {
        var packages = await PackagedSample.Value;
        await using var sample = await PublishedSample.StartAsync(new Dictionary<string, string>(), PackagedSample.PublishedAsync());
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = sample.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("User-Agent", TestApp.BrowserUserAgent);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(
            html.Contains("Everyday essentials, made to last", StringComparison.Ordinal) || html.Contains("Autumn sale: 20% off outerwear", StringComparison.Ordinal),
            "The home page shows no variation of home-hero:\n" + html + "\n" + sample.Output);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("ssp_vid=", StringComparison.Ordinal));

        // The app ran on the packages, not on the repository's projects.
        var dependencies = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(packages.Published, "Storefront.deps.json")))!["libraries"]!.AsObject();
        foreach (var library in packages.Libraries.Where(l => l is "ServerSidePersonalization" or "ServerSidePersonalization.Redis"))
        {
            Assert.Equal("package", dependencies[$"{library}/{packages.Version}"]?["type"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task Pack_EachLibrary_PackageHoldsReadmeLicenseDocsAndDependenciesAndASymbolPackage()
    {
        var packages = await PackagedSample.Value;

        Assert.Contains("ServerSidePersonalization", packages.Libraries);
        Assert.Contains("ServerSidePersonalization.Redis", packages.Libraries);
        foreach (var library in packages.Libraries)
        {
            var path = Path.Combine(packages.Feed, $"{library}.{packages.Version}.nupkg");
            using var package = ZipFile.OpenRead(path);
            var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            Assert.Contains($"lib/net10.0/{library}.dll", entries);
            Assert.Contains($"lib/net10.0/{library}.xml", entries);

            XNamespace ns = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";
            await using var nuspecStream = package.GetEntry($"{library}.nuspec")!.Open();
            var metadata = XDocument.Load(nuspecStream).Root!.Element(ns + "metadata")!;
            Assert.Equal("MIT", (string?)metadata.Element(ns + "license"));
            Assert.Equal("README.md", (string?)metadata.Element(ns + "readme"));
            Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element(ns + "description")));
            Assert.Matches("^[0-9a-f]{40}$", (string?)metadata.Element(ns + "repository")?.Attribute("commit") ?? string.Empty);
            if (library != "ServerSidePersonalization")
            {
                // Each extension package depends on the core at the same version.
                Assert.Contains(
                    metadata.Descendants(ns + "dependency"),
                    d => (string?)d.Attribute("id") == "ServerSidePersonalization" && (string?)d.Attribute("version") == packages.Version);
            }

            using var symbols = ZipFile.OpenRead(Path.ChangeExtension(path, ".snupkg"));
            Assert.Contains(symbols.Entries, e => e.FullName == $"lib/net10.0/{library}.pdb");
        }
    }
}
