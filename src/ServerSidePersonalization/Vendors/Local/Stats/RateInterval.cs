namespace ServerSidePersonalization.Vendors.Local.Stats;

/// <summary>A 95% confidence interval for a rate, or for the difference of two rates, as fractions (0.25 is 25%).</summary>
internal readonly record struct RateInterval(double Lower, double Upper)
{
    public bool ContainsZero => Lower <= 0 && Upper >= 0;
}
