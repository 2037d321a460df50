using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Vendors.Local;

namespace ServerSidePersonalization.Tests.Vendors.Local;

public sealed class LocalExperienceStoreTests : IDisposable
{
    private const string Hero = """{ "experiences": [ { "key": "hero", "variations": [ { "id": "only", "payload": { "title": "First" } } ] } ] }""";

    private const string HeroEdited = """{ "experiences": [ { "key": "hero", "variations": [ { "id": "only", "payload": { "title": "Second" } } ] }, { "key": "banner", "variations": [ {} ] } ] }""";

    private readonly ExperienceFiles _files = new();
    private readonly LogCollector _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public LocalExperienceStoreTests() => _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(_logs.Provider).SetMinimumLevel(LogLevel.Debug));

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task StartAsync_ConfiguredFileDoesNotExist_FailsNamingTheSetting()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"ssp-missing-{Guid.NewGuid():N}", "experiences.json");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(Settings(missing)));

        Assert.Contains("Personalization:Local:File", ex.Message, StringComparison.Ordinal);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BrokenFile_FailsNamingTheFile()
    {
        var path = _files.Write("""{ "experiences": [ { "key": "hero", "variations": [] } ] }""");

        var ex = await Assert.ThrowsAsync<FormatException>(() => TestApp.StartAsync(Settings(path)));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'hero'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NoFileConfiguredAndNoneInContentRoot_StartsWithNoExperiences()
    {
        await using var app = await TestApp.StartAsync(endpoints: app => app.MapGet("/hero", async (HttpContext context) =>
            (await context.GetPersonalization().GetExperienceAsync("hero")) is null ? "none" : "found"));

        using var response = await app.GetAsync("/hero", ("ssp_vid", "visitor-1"));

        Assert.Equal("none", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, app.Services.GetRequiredService<LocalExperienceStore>().Current.Count);
        Assert.Single(app.Logs.Named("NoLocalExperiencesFile"));
    }

    [Fact]
    public void Constructor_NoFileConfiguredAndNoneInContentRoot_HasNoExperiences()
    {
        using var contentRoot = new ExperienceFiles();
        var root = Path.GetDirectoryName(contentRoot.Write("{}", "unrelated.json"))!;

        using var store = CreateStore(file: null, root);

        Assert.Same(LocalExperienceSet.Empty, store.Current);
        Assert.Single(_logs.Named("NoLocalExperiencesFile"));
    }

    [Fact]
    public void Constructor_NoFileConfiguredAndDefaultFileInContentRoot_LoadsIt()
    {
        var path = _files.Write(Hero, LocalProviderOptions.DefaultFile);

        using var store = CreateStore(file: null, Path.GetDirectoryName(path)!);

        Assert.Equal("First", store.Current.Find("hero")!.Variations[0].Experience.GetString("title"));
        Assert.Single(_logs.Named("LocalExperiencesLoaded"));
    }

    [Fact]
    public void Constructor_RelativePath_IsResolvedAgainstTheContentRoot()
    {
        var path = _files.Write(Hero, "relative.json");

        using var store = CreateStore("relative.json", Path.GetDirectoryName(path)!);

        Assert.NotNull(store.Current.Find("hero"));
    }

    [Fact]
    public void Constructor_ConfiguredFileDoesNotExist_ThrowsNamingTheSetting()
    {
        var root = Path.GetDirectoryName(_files.Write("{}", "unrelated.json"))!;

        var ex = Assert.Throws<InvalidOperationException>(() => CreateStore("nowhere.json", root));

        Assert.Contains("Personalization:Local:File", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nowhere.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_AfterEdit_PicksUpTheChange()
    {
        var path = _files.Write(Hero);
        using var store = CreateStore(path);
        var before = store.Current;

        _files.Write(HeroEdited);
        store.Reload();

        Assert.NotSame(before, store.Current);
        Assert.Equal(2, store.Current.Count);
        Assert.Equal("Second", store.Current.Find("hero")!.Variations[0].Experience.GetString("title"));
        Assert.Equal(2, _logs.Named("LocalExperiencesLoaded").Count);
        Assert.Empty(_logs.Named("LocalExperiencesReloadFailed"));
    }

    [Theory]
    [InlineData("""{ "experiences": [ { "key": "hero", "variations": [ """)]
    [InlineData("""{ "experiences": [ { "key": "hero", "variations": [ { "weight": -1 } ] } ] }""")]
    [InlineData("""{ "experiences": [ { "key": "hero", "variations": [ {} ] }, { "key": "hero", "variations": [ {} ] } ] }""")]
    [InlineData("""{ "experiences": [ null ] }""")]
    [InlineData("")]
    public void Reload_AfterBrokenEdit_KeepsThePreviousSetAndLogs(string broken)
    {
        var path = _files.Write(Hero);
        using var store = CreateStore(path);
        var before = store.Current;

        _files.Write(broken);
        store.Reload();

        Assert.Same(before, store.Current);
        var failure = Assert.Single(_logs.Named("LocalExperiencesReloadFailed"));
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains(path, failure.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(failure.Exception);
    }

    [Fact]
    public void Reload_FileDeleted_KeepsThePreviousSetAndLogs()
    {
        var path = _files.Write(Hero);
        using var store = CreateStore(path);
        var before = store.Current;

        File.Delete(path);
        store.Reload();

        Assert.Same(before, store.Current);
        Assert.Single(_logs.Named("LocalExperiencesReloadFailed"));
    }

    [Fact]
    public void Reload_BrokenEditThenFixed_PicksUpTheFix()
    {
        var path = _files.Write(Hero);
        using var store = CreateStore(path);

        _files.Write("{ broken");
        store.Reload();
        _files.Write(HeroEdited);
        store.Reload();

        Assert.Equal("Second", store.Current.Find("hero")!.Variations[0].Experience.GetString("title"));
    }

    [Fact]
    public async Task Watcher_FileReplaced_ReloadsWithoutBeingAsked()
    {
        var path = _files.Write(Hero);
        using var store = CreateStore(path, reloadOnChange: true);
        Assert.Equal("First", Title(store));

        // Replace the file in one step, so the watcher never reads a half-written file.
        var staging = _files.Write(HeroEdited, "staging.tmp");
        File.Move(staging, path, overwrite: true);

        // The file watcher is real (a file system event), so the reload is waited for, bounded.
        Assert.True(await Eventually.TrueAsync(() => Title(store) == "Second"));
        Assert.Equal(2, store.Current.Count);
    }

    [Fact]
    public async Task Watcher_BrokenFileWritten_KeepsThePreviousSetAndLogs()
    {
        var path = _files.Write(Hero);
        using var store = CreateStore(path, reloadOnChange: true);
        var before = store.Current;

        var staging = _files.Write("{ \"experiences\": [ { \"key\": \"hero\" } ] }", "staging.tmp");
        File.Move(staging, path, overwrite: true);

        Assert.True(await Eventually.TrueAsync(() => _logs.Named("LocalExperiencesReloadFailed").Count > 0));
        Assert.Same(before, store.Current);
    }

    private static string Title(LocalExperienceStore store) => store.Current.Find("hero")!.Variations[0].Experience.GetString("title")!;

    private static Dictionary<string, string?> Settings(string file) => new() { ["Personalization:Local:File"] = file };

    private LocalExperienceStore CreateStore(string? file, string? contentRoot = null, bool reloadOnChange = false)
    {
        var options = new LocalProviderOptions { File = file, ReloadOnChange = reloadOnChange };
        return new LocalExperienceStore(
            Options.Create(options),
            new ContentRoot(contentRoot ?? Path.GetTempPath()),
            _loggerFactory.CreateLogger<LocalExperienceStore>());
    }

    private sealed class ContentRoot(string path) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;

        public string ApplicationName { get; set; } = "Tests";

        public string ContentRootPath { get; set; } = path;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
