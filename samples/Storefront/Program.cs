using Storefront;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorPages();
// Redis (the L2 cache, the shared key ring, and with Personalization:Tracking:Durable=true the tracking outbox) is used
// when Personalization:Cache:Redis holds a connection string.
builder.Services.AddServerSidePersonalization().AddRedis();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseStaticFiles();
app.UseServerSidePersonalization();

app.MapRazorPages();
app.MapPersonalizationClicks();

// A minimal API that renders an experience as JSON, for client code that wants the same variation.
app.MapGet("/api/hero", async (HttpContext context) =>
    await context.GetPersonalization().GetExperienceAsync("home-hero") is { } hero
        ? Results.Ok(new HeroDto(hero.GetString("Title"), hero.GetString("CtaUrl"), hero.Attribution.VariationId))
        : Results.NoContent())
    .WithExperiences("home-hero");

app.Run();

/// <summary>The sample's entry point, visible to the tests.</summary>
public partial class Program;
