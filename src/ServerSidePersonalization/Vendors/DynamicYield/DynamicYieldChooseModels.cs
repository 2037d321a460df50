using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerSidePersonalization.Vendors.DynamicYield;

/// <summary>The body of <c>POST /v2/serve/user/choose</c>: who, which campaigns, on what page, and the options.</summary>
internal sealed record DynamicYieldChooseRequest(
    [property: JsonPropertyName("user")] DynamicYieldUser User,
    [property: JsonPropertyName("session")] DynamicYieldSession Session,
    [property: JsonPropertyName("selector")] DynamicYieldSelector Selector,
    [property: JsonPropertyName("context")] DynamicYieldContext Context,
    [property: JsonPropertyName("options")] DynamicYieldChooseOptions? Options);

internal sealed record DynamicYieldSelector([property: JsonPropertyName("names")] IReadOnlyList<string> Names);

internal sealed record DynamicYieldContext(
    [property: JsonPropertyName("page")] DynamicYieldPage Page,
    [property: JsonPropertyName("device")] DynamicYieldDevice? Device);

/// <summary><c>type</c> and <c>location</c> are required; <c>data</c> holds SKUs on product and cart pages.</summary>
internal sealed record DynamicYieldPage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("referrer")] string? Referrer,
    [property: JsonPropertyName("data")] IReadOnlyList<string>? Data,
    [property: JsonPropertyName("locale")] string? Locale);

internal sealed record DynamicYieldDevice(
    [property: JsonPropertyName("userAgent")] string? UserAgent,
    [property: JsonPropertyName("ip")] string? Ip);

internal sealed record DynamicYieldChooseOptions(
    [property: JsonPropertyName("isImplicitImpressionMode")] bool IsImplicitImpressionMode);

/// <summary>The answer: one choice per campaign, and the cookies to set on the browser.</summary>
internal sealed record DynamicYieldChooseResponse(
    [property: JsonPropertyName("choices")] List<DynamicYieldChoice?>? Choices,
    [property: JsonPropertyName("cookies")] List<DynamicYieldCookie?>? Cookies);

internal sealed record DynamicYieldChoice(
    [property: JsonPropertyName("id")] JsonElement Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("decisionId")] string? DecisionId,
    [property: JsonPropertyName("variations")] List<DynamicYieldVariation?>? Variations);

internal sealed record DynamicYieldVariation(
    [property: JsonPropertyName("id")] JsonElement Id,
    [property: JsonPropertyName("payload")] DynamicYieldPayload? Payload);

/// <summary><c>CUSTOM_JSON</c> (<c>data</c> is the campaign's JSON) or <c>RECS</c> (<c>data.slots</c>, <c>data.custom</c>).</summary>
internal sealed record DynamicYieldPayload(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("data")] JsonElement Data);

/// <summary>A cookie to set; Dynamic Yield sends <c>maxAge</c> in seconds, as a number or as text.</summary>
internal sealed record DynamicYieldCookie(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("maxAge")] JsonElement MaxAge);
