using System.Text.Json;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>Writes Local-provider experience files for tests into a temporary folder that is removed afterwards.</summary>
internal sealed class ExperienceFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ssp-tests-").FullName;

    public string Write(string json, string name = "experiences.json")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>A file with one single-variation experience per key, each with the given payload.</summary>
    public string WriteSingle(params (string Key, object Payload)[] experiences) => Write(JsonSerializer.Serialize(new
    {
        experiences = experiences.Select(e => new { key = e.Key, variations = new[] { new { id = "only", weight = 1, payload = e.Payload } } }),
    }));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
