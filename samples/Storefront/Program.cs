using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ServerSidePersonalization.Diagnostics;
using Storefront;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorPages();
// Redis (the L2 cache, the shared key ring, and with Personalization:Tracking:Durable=true the tracking outbox) is used
// when Personalization:Cache:Redis holds a connection string.
builder.Services.AddServerSidePersonalization().AddRedis();
builder.Services.AddHealthChecks().AddPersonalization();

// Traces of ASP.NET Core, HttpClient (vendor calls) and the library's spans, and the library's metrics: spans are
// printed to the console in Development, so the first run shows a page view's spans, and both are sent over OTLP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the endpoint, headers and protocol from the OTEL_* variables).
var telemetry = builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("Storefront"))
    .WithTracing(tracing =>
    {
        tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddSource(PersonalizationTracing.ActivitySourceName);
        if (builder.Environment.IsDevelopment())
        {
            tracing.AddConsoleExporter();
        }
    })
    .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddMeter(PersonalizationTelemetry.MeterName));
if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    telemetry.UseOtlpExporter();
}

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseStaticFiles();
app.UseServerSidePersonalization();

app.MapRazorPages();
app.MapPersonalizationClicks();

// Development only (404 elsewhere): the visitor's ids (masked), attributes, this request's experiences with their
// origins, and the visitor's last tracking events with their delivery status.
app.MapPersonalizationDebug();

// QA previews: in Development `/?pz-preview=home-hero:autumn-sale` shows that variation as is; in any environment a
// signed, expiring link from IExperiencePreviews does. Previews report nothing and leave the visitor's cache alone.
if (app.Environment.IsDevelopment())
{
    app.MapGet("/qa/preview", PreviewLinks.Redirect);
}

// Development only (404 elsewhere): impressions, clicks and click-through rates the Local destination recorded.
app.MapPersonalizationStats();

// Degraded (still 200) names what is down: a provider, Redis, a paused or backed-up tracking destination.
app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });

// A minimal API that renders an experience as JSON, for client code that wants the same variation.
app.MapGet("/api/hero", async (HttpContext context) =>
    await context.GetPersonalization().GetExperienceAsync("home-hero") is { } hero
        ? Results.Ok(new HeroDto(hero.GetString("Title"), hero.GetString("CtaUrl"), hero.Attribution.VariationId))
        : Results.NoContent())
    .WithExperiences("home-hero");

app.Run();

/// <summary>The sample's entry point, visible to the tests.</summary>
public partial class Program;
