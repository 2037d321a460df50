using Microsoft.Extensions.Logging;

namespace ServerSidePersonalization.AspNetCore;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "BudgetExceeded", Level = LogLevel.Warning,
        Message = "Provider {Provider} did not answer within its {BudgetMs} ms budget; {KeyCount} experience(s) render their fallback. {Suppressed} similar overrun(s) not logged since the last one.")]
    public static partial void BudgetExceeded(ILogger logger, string provider, double budgetMs, int keyCount, int suppressed);

    [LoggerMessage(EventId = 3002, EventName = "UnsafeExperienceUrl", Level = LogLevel.Warning,
        Message = "Experience {ExperienceKey} field {Field} is not a safe link target; the link keeps its own href.")]
    public static partial void UnsafeExperienceUrl(ILogger logger, string experienceKey, string field);
}
