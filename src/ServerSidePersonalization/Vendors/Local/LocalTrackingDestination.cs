using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>
/// Records events of Local experiences in <see cref="LocalTrackingStore"/> and, when configured, appends them to a
/// JSON-lines file; so the Local provider has the same impressions and clicks as a vendor would, offline.
/// </summary>
internal sealed class LocalTrackingDestination : ITrackingDestination
{
    private readonly LocalTrackingStore _store;
    private readonly string? _file;

    public LocalTrackingDestination(LocalTrackingStore store, IOptions<LocalTrackingOptions> options, IHostEnvironment environment)
    {
        _store = store;
        _file = options.Value.File is { Length: > 0 } file ? Path.GetFullPath(file, environment.ContentRootPath) : null;
    }

    public string Name => LocalExperienceSet.Vendor;

    public int MaxBatchSize => 1000;

    public bool Accepts(TrackingEvent trackingEvent) => trackingEvent.Attribution?.Vendor == LocalExperienceSet.Vendor;

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<TrackingEvent> batch, CancellationToken cancellationToken)
    {
        var records = batch.Select(ToRecord).ToList();
        if (_file is not null)
        {
            try
            {
                var lines = new StringBuilder();
                foreach (var record in records)
                {
                    lines.Append(JsonSerializer.Serialize(record, LocalTrackingJsonContext.Default.LocalTrackingRecord)).Append('\n');
                }

                await File.AppendAllTextAsync(_file, lines.ToString(), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                return DeliveryResult.Retry($"cannot append to the tracking file ({ex.GetType().Name})");
            }
            catch (UnauthorizedAccessException)
            {
                return DeliveryResult.Rejected("the tracking file is not writable");
            }
        }

        _store.Add(records);
        return DeliveryResult.Delivered;
    }

    private static LocalTrackingRecord ToRecord(TrackingEvent trackingEvent) => new(
        trackingEvent.Id.ToString("D"),
        trackingEvent.Kind == TrackingEventKind.Click ? "click" : "impression",
        trackingEvent.OccurredAt,
        trackingEvent.ExperienceKey!,
        trackingEvent.Attribution!.VariationId,
        trackingEvent.ElementId,
        trackingEvent.SlotId,
        trackingEvent.Identity.UserId is { } user ? HashUser(user) : null);

    private static string HashUser(string userId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)).AsSpan(0, 8));
}
