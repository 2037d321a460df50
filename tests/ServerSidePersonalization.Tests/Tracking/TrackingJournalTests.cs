using System.Text.Json;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Tracking;

public sealed class TrackingJournalTests
{
    [Fact]
    public void Queued_Disabled_RecordsNothing()
    {
        var journal = new TrackingJournal(new DebugRecording());

        journal.Queued("Dest", Impression("visitor-1"));

        Assert.Empty(journal.For("visitor-1"));
    }

    [Fact]
    public void Queued_MoreThanTheLimitForOneVisitor_KeepsTheLastEvents()
    {
        var journal = Enabled();
        var events = Enumerable.Range(0, TrackingJournal.EventsPerVisitor + 5).Select(_ => Impression("visitor-1")).ToList();

        foreach (var trackingEvent in events)
        {
            journal.Queued("Dest", trackingEvent);
        }

        var kept = journal.For("visitor-1");
        Assert.Equal(TrackingJournal.EventsPerVisitor, kept.Count);
        Assert.Equal(events[5].Id, kept[0].EventId);
        Assert.Equal(events[^1].Id, kept[^1].EventId);
    }

    [Fact]
    public void Queued_MoreVisitorsThanTheLimit_ForgetsTheOneSeenLongestAgo()
    {
        var journal = Enabled();
        journal.Queued("Dest", Impression("visitor-0"));
        journal.Queued("Dest", Impression("visitor-1"));
        for (var i = 2; i <= TrackingJournal.Visitors; i++)
        {
            journal.Queued("Dest", Impression($"visitor-{i}"));
            if (i == 2)
            {
                // visitor-0 is seen again, so visitor-1 is now the one seen longest ago.
                journal.Queued("Dest", Impression("visitor-0"));
            }
        }

        Assert.Equal(2, journal.For("visitor-0").Count);
        Assert.Empty(journal.For("visitor-1"));
        Assert.Single(journal.For($"visitor-{TrackingJournal.Visitors}"));
    }

    [Fact]
    public void Settled_SameEventTwoDestinations_UpdatesOnlyThatDestination()
    {
        var journal = Enabled();
        var impression = Impression("visitor-1");
        journal.Queued("A", impression);
        journal.Queued("B", impression);

        journal.Settled("B", [impression], TrackedEventStatus.Dropped, "rejected: HTTP 400");

        var entries = journal.For("visitor-1");
        Assert.Equal(TrackedEventStatus.Queued, entries.Single(e => e.Destination == "A").Status);
        var dropped = entries.Single(e => e.Destination == "B");
        Assert.Equal((TrackedEventStatus.Dropped, "rejected: HTTP 400"), (dropped.Status, dropped.Reason));
    }

    private static TrackingJournal Enabled()
    {
        var recording = new DebugRecording();
        recording.Enable();
        return new TrackingJournal(recording);
    }

    private static TrackingEvent Impression(string visitor) => new(
        TrackingEventKind.Impression,
        "hero",
        new ExperienceAttribution("Local", JsonDocument.Parse("{}").RootElement.Clone(), "a"),
        new VisitorIdentity(null, visitor),
        DateTimeOffset.UnixEpoch);
}
