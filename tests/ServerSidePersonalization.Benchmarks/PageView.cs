namespace ServerSidePersonalization.Benchmarks;

/// <summary>One page view as the visitor saw it: the status (0 when no answer came at all), the body and how long it took.</summary>
internal sealed record PageView(int Status, string? Body, double Milliseconds, Exception? Error)
{
    public bool Failed => Status != 200;

    public bool Personalized => Status == 200 && Body == MoEngageAnswers.Title;
}
