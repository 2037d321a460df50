namespace ServerSidePersonalization.Testing.Tests;

public sealed class PinnedExperiencesTests
{
    [Fact]
    public void WithExperience_PayloadProperties_BecomeFieldsAndVariationIsAttributed()
    {
        var pins = new PinnedExperiences().WithExperience("home-hero", "1", new { Title = "Hello", Rank = 2, Visible = true });

        var experience = pins.Find("home-hero")!;

        Assert.Equal("Hello", experience.GetString("title"));
        Assert.True(experience.TryGetInt64("Rank", out var rank) && rank == 2);
        Assert.True(experience.GetBoolean("Visible"));
        Assert.Equal((PinnedExperiences.Vendor, "1"), (experience.Attribution.Vendor, experience.Attribution.VariationId));
    }

    [Fact]
    public void WithExperience_SameKeyTwice_KeepsTheLastPin()
    {
        var pins = new PinnedExperiences().WithExperience("home-hero", "0").WithExperience("home-hero", "1");

        Assert.Equal("1", pins.Find("home-hero")!.Attribution.VariationId);
        Assert.Null(pins.Find("other"));
    }

    [Fact]
    public void WithExperience_PayloadNotAnObject_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PinnedExperiences().WithExperience("home-hero", "1", "just text"));
    }
}
