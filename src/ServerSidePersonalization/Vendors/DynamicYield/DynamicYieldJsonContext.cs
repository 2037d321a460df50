using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.DynamicYield;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DynamicYieldEngagementRequest))]
internal sealed partial class DynamicYieldJsonContext : JsonSerializerContext;
