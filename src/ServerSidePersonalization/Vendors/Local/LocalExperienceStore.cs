using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>
/// Holds the Local experiences: loaded at start-up (a broken or missing configured file stops the app with a message
/// that says why) and, optionally, reloaded when the file changes (a broken edit keeps the last good set).
/// </summary>
internal sealed class LocalExperienceStore : IDisposable
{
    private readonly string? _path;
    private readonly ILogger<LocalExperienceStore> _logger;
    private readonly PhysicalFileProvider? _watcher;
    private readonly IDisposable? _subscription;
    private volatile LocalExperienceSet _current;

    public LocalExperienceStore(IOptions<LocalProviderOptions> options, IHostEnvironment environment, ILogger<LocalExperienceStore> logger)
    {
        _logger = logger;
        var configured = options.Value.File;
        var path = Path.GetFullPath(configured ?? LocalProviderOptions.DefaultFile, environment.ContentRootPath);
        if (!File.Exists(path))
        {
            if (configured is not null)
            {
                throw new InvalidOperationException($"Personalization:Local:File '{configured}' was not found (looked for {path}).");
            }

            Log.NoExperiencesFile(logger, LocalProviderOptions.DefaultFile);
            _current = LocalExperienceSet.Empty;
            return;
        }

        _path = path;
        _current = Load(path);
        Log.Loaded(logger, _current.Count, path);

        if (options.Value.ReloadOnChange)
        {
            _watcher = new PhysicalFileProvider(Path.GetDirectoryName(path)!);
            var fileName = Path.GetFileName(path);
            _subscription = ChangeToken.OnChange(() => _watcher.Watch(fileName), Reload);
        }
    }

    public LocalExperienceSet Current => _current;

    public void Dispose()
    {
        _subscription?.Dispose();
        _watcher?.Dispose();
    }

    /// <summary>Reads the file again; used by the file watcher and by tests.</summary>
    internal void Reload()
    {
        try
        {
            _current = Load(_path!);
            Log.Loaded(_logger, _current.Count, _path!);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            Log.ReloadFailed(_logger, _path!, ex);
        }
    }

    private static LocalExperienceSet Load(string path) => LocalExperienceSet.Parse(File.ReadAllBytes(path), path);
}
