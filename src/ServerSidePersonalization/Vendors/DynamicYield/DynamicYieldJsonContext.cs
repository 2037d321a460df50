using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.DynamicYield;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DynamicYieldEngagementRequest))]
[JsonSerializable(typeof(DynamicYieldChooseRequest))]
[JsonSerializable(typeof(DynamicYieldChooseResponse))]
[JsonSerializable(typeof(DynamicYieldEventRequest))]
internal sealed partial class DynamicYieldJsonContext : JsonSerializerContext;
