using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Storefront;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorPages();
// Redis (the L2 cache, the shared key ring, and with Personalization:Tracking:Durable=true the tracking outbox) is used
// when Personalization:Cache:Redis holds a connection string.
builder.Services.AddServerSidePersonalization().AddRedis();
builder.Services.AddHealthChecks().AddPersonalization();

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
