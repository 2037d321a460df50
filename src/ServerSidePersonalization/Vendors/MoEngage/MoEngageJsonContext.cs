using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.MoEngage;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MoEngageFetchRequest))]
[JsonSerializable(typeof(MoEngageFetchResponse))]
[JsonSerializable(typeof(MoEngageError))]
[JsonSerializable(typeof(MoEngageEventsRequest))]
[JsonSerializable(typeof(string))]
internal sealed partial class MoEngageJsonContext : JsonSerializerContext;
