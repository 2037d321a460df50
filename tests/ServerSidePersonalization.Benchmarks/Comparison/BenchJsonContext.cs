using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Benchmarks.Comparison;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ComparisonReport))]
[JsonSerializable(typeof(MemoryReport))]
[JsonSerializable(typeof(HeroAnswer))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
