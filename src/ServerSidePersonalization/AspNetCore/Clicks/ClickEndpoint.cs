using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using ServerSidePersonalization.Diagnostics;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// The click endpoint. <c>GET ?t=</c> records the click and redirects to the token's target; <c>POST</c> (for
/// <c>navigator.sendBeacon</c>, token in the query or a form field <c>t</c>) records it and answers 204. A bad token or
/// target answers 400 and never redirects; nothing here waits for a vendor. A click from someone other than the user the
/// link was rendered for is answered the same way but not reported (see <see cref="ClickOwner"/>), and so is one from a
/// request that may not be tracked: a link scanner or preview fetcher, no consent, Global Privacy Control.
/// </summary>
internal sealed class ClickEndpoint(ClickTokens tokens, PersonalizationMetrics metrics, ILogger<ClickEndpoint> logger)
{
    /// <summary>The query or form field that holds the token.</summary>
    public const string TokenField = "t";

    // A beacon body holds one token; anything much larger is not one of ours.
    private const int MaxFormBytes = 16 * 1024;

    private static readonly FormOptions BeaconForm = new()
    {
        ValueCountLimit = 16,
        ValueLengthLimit = MaxFormBytes,
        MultipartBodyLengthLimit = MaxFormBytes,
        MultipartHeadersCountLimit = 8,
        MultipartHeadersLengthLimit = 2048,
    };

    public async Task RedirectAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!TryOpen(Single(context.Request.Query[TokenField]), HttpMethods.Get, out var token))
        {
            await BadRequestAsync(context).ConfigureAwait(false);
            return;
        }

        // In durable mode the click is in the outbox before the browser moves on (bounded by the append timeout).
        await Track(context, token).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect(token.Target);
    }

    public async Task RecordAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = Single(context.Request.Query[TokenField]) ?? await ReadFormTokenAsync(context).ConfigureAwait(false);
        if (!TryOpen(text, HttpMethods.Post, out var token))
        {
            await BadRequestAsync(context).ConfigureAwait(false);
            return;
        }

        await Track(context, token).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private bool TryOpen(string? text, string method, [NotNullWhen(true)] out ClickToken? token)
    {
        if (!tokens.TryUnprotect(text, out token))
        {
            Log.TokenRejected(logger, method);
            return false;
        }

        // Checked again, not only when the link was rendered: AllowedHosts may have shrunk since.
        if (!ClickTarget.IsAllowed(token.Target, tokens.Options.AllowedHosts))
        {
            Log.TargetRejected(logger, token.ExperienceKey);
            token = null;
            return false;
        }

        return true;
    }

    /// <summary>Reports the click; the task completes once it is written (see <see cref="PersonalizationFeature.TrackedAsync"/>).</summary>
    private Task Track(HttpContext context, ClickToken token)
    {
        var feature = Feature(context);
        if (!feature.CanTrack)
        {
            Log.ExcludedClick(logger, token.ExperienceKey, context.Request.Method, feature.ExcludedReason!);
            return Task.CompletedTask;
        }

        // Someone else's link still takes them where it leads, but reporting it would credit the renderer's variation
        // with a click by a user who never saw it.
        if (!ClickOwner.IsOwnedBy(token.Owner, feature.Identity))
        {
            metrics.ForeignClick();
            Log.ForeignClick(logger, token.ExperienceKey, context.Request.Method);
            return Task.CompletedTask;
        }

        feature.TrackClick(token.ExperienceKey, token.ToAttribution(), token.ElementId, token.SlotId, token.Action, token.Fields);
        Log.ClickRecorded(logger, token.ExperienceKey, token.ElementId);
        return feature.TrackedAsync();
    }

    /// <summary>
    /// The request's feature; when the endpoint is reached without <c>UseServerSidePersonalization()</c> (mapped in a
    /// branch, say), the visitor is resolved here so the click still counts and the redirect still works.
    /// </summary>
    private static PersonalizationFeature Feature(HttpContext context)
    {
        if (context.Features.Get<IPersonalizationFeature>() is PersonalizationFeature feature)
        {
            return feature;
        }

        feature = PersonalizationFeature.Create(context, context.RequestServices.GetRequiredService<PersonalizationServices>());
        context.Features.Set<IPersonalizationFeature>(feature);
        return feature;
    }

    private static async Task<string?> ReadFormTokenAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType || request.ContentLength > MaxFormBytes)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = MaxFormBytes;
        }

        try
        {
            var form = await request.ReadFormAsync(BeaconForm, context.RequestAborted).ConfigureAwait(false);
            return Single(form[TokenField]);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or OperationCanceledException)
        {
            // Malformed or oversized bodies (BadHttpRequestException is an IOException) and clients that went away.
            return null;
        }
    }

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;

    private static Task BadRequestAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("This link is invalid or has expired.", context.RequestAborted);
    }
}
