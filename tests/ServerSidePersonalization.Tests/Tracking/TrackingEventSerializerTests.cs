using System.Text;
using System.Text.Json;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Tracking;

public sealed class TrackingEventSerializerTests
{
    [Fact]
    public void Deserialize_SerializedClick_EveryFieldAndTheIdUnchanged()
    {
        using var context = JsonDocument.Parse("""{"cid":"c-1","nested":{"n":[1,2.50,"x"]},"moe_variation_id":"2"}""");
        var original = new TrackingEvent(
            TrackingEventKind.Click,
            "home-hero",
            new ExperienceAttribution("MoEngage", context.RootElement.Clone(), "2", "decision-9"),
            new VisitorIdentity("customer-1", "visitor-1", "session-1", isNewVisitor: true, new Dictionary<string, string> { ["moe_uuid"] = "m-1" }),
            new DateTimeOffset(2026, 11, 25, 9, 30, 15, 123, TimeSpan.FromHours(2)),
            "cta",
            "slot-3",
            new RequestAttributes(DateTimeOffset.UnixEpoch.AddDays(1), DayOfWeek.Friday, 7, "192.0.2.1", "UA/1", new Dictionary<string, string> { ["utm_source"] = "mail" }),
            action: "ActivateOffer",
            fields: new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["ServeToken"] = "st-1" });

        var copy = TrackingEventSerializer.Deserialize(TrackingEventSerializer.Serialize(original)!)!;

        Assert.Equal(original.Id, copy.Id);
        Assert.Equal(original.Kind, copy.Kind);
        Assert.Equal(original.ExperienceKey, copy.ExperienceKey);
        Assert.Equal(original.Attribution!.Context.GetRawText(), copy.Attribution!.Context.GetRawText());
        Assert.Equal(("MoEngage", "2", "decision-9"), (copy.Attribution.Vendor, copy.Attribution.VariationId, copy.Attribution.DecisionId));
        Assert.Equal(("customer-1", "visitor-1", "session-1", true), (copy.Identity.CustomerId, copy.Identity.VisitorId, copy.Identity.SessionId, copy.Identity.IsNewVisitor));
        Assert.Equal(original.Identity.Identifiers, copy.Identity.Identifiers);
        Assert.Equal(original.OccurredAt, copy.OccurredAt);
        Assert.Equal(original.OccurredAt.Offset, copy.OccurredAt.Offset);
        Assert.Equal(("cta", "slot-3"), (copy.ElementId, copy.SlotId));
        Assert.Equal(original.Attributes.Timestamp, copy.Attributes.Timestamp);
        Assert.Equal((DayOfWeek.Friday, 7, "192.0.2.1", "UA/1"), (copy.Attributes.DayOfWeek!.Value, copy.Attributes.HourOfDay!.Value, copy.Attributes.IpAddress, copy.Attributes.UserAgent));
        Assert.Equal(original.Attributes.Custom, copy.Attributes.Custom);
        Assert.Equal("ActivateOffer", copy.Action);
        Assert.Equal(original.Fields, copy.Fields);
        Assert.Equal("st-1", copy.Fields["servetoken"]);
    }

    [Fact]
    public void Serialize_Conversion_Null() =>
        Assert.Null(TrackingEventSerializer.Serialize(new TrackingEvent(new Goal(), VisitorIdentity.Anonymous, DateTimeOffset.UnixEpoch, attributes: null)));

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"v":2,"id":"0f8fad5b-d9cb-469f-a165-70867728950e"}""")]
    [InlineData("""{"v":1,"id":"0f8fad5b-d9cb-469f-a165-70867728950e","k":"Impression"}""")]
    public void Deserialize_NotAnEventOfThisFormat_Null(string text) =>
        Assert.Null(TrackingEventSerializer.Deserialize(Encoding.UTF8.GetBytes(text)));

    private sealed class Goal : IConversionEvent
    {
        public string Name => "goal";
    }
}
