using System.Text.Json;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// What a tracked link carries through the browser, signed: the experience and its attribution (the vendor's context
/// verbatim), the element and slot clicked, where the click leads, and whose link it is (<see cref="ClickOwner"/>; absent
/// when that visitor had no id). Nothing in it is secret from the visitor it was rendered for.
/// </summary>
internal sealed record ClickToken(
    string ExperienceKey,
    string Vendor,
    JsonElement Context,
    string? VariationId,
    string? DecisionId,
    string? ElementId,
    string? SlotId,
    string Target,
    ClickOwner? Owner,
    string? Action = null,
    IReadOnlyDictionary<string, string>? Fields = null)
{
    /// <summary>
    /// A token for a click on <paramref name="experienceKey"/> leading to <paramref name="target"/>, on a link rendered
    /// for <paramref name="owner"/> (<see cref="VisitorIdentity.Anonymous"/> for a link anyone may click).
    /// </summary>
    public static ClickToken Create(
        string experienceKey,
        ExperienceAttribution attribution,
        string? elementId,
        string? slotId,
        string target,
        VisitorIdentity owner,
        string? action = null,
        IReadOnlyDictionary<string, string>? fields = null) =>
        new(
            experienceKey,
            attribution.Vendor,
            attribution.Context,
            attribution.VariationId,
            attribution.DecisionId,
            elementId,
            slotId,
            target,
            ClickOwner.Of(owner),
            action,
            fields);

    /// <summary>The attribution as the experience had it when the link was rendered.</summary>
    public ExperienceAttribution ToAttribution() => new(Vendor, Context, VariationId, DecisionId);

    /// <summary>Whether the fields every click needs are present and well formed.</summary>
    public bool IsComplete() =>
        Experiences.ExperienceKey.IsValid(ExperienceKey) && !string.IsNullOrEmpty(Vendor) && !string.IsNullOrEmpty(Target)
        && (Action is null || ClickAction.IsValid(Action));
}
