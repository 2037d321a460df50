namespace ServerSidePersonalization.Experiences;

/// <summary>
/// Splits a request's keys among providers: keys a module routes to its provider go there, the rest to the main
/// provider. The parts run concurrently and their answers are merged, so one page can render experiences of two vendors.
/// </summary>
internal sealed class RoutedExperienceSource(
    IExperienceSource main, IReadOnlyList<(IReadOnlySet<string> Keys, IExperienceSource Source)> routes) : IExperienceSource
{
    public async Task<ExperienceFetchResult> GetAsync(ExperienceRequest request, CancellationToken cancellationToken)
    {
        var parts = new List<string>?[routes.Count + 1];
        foreach (var key in request.Keys)
        {
            var index = routes.Count;
            for (var i = 0; i < routes.Count; i++)
            {
                if (routes[i].Keys.Contains(key))
                {
                    index = i;
                    break;
                }
            }

            (parts[index] ??= []).Add(key);
        }

        var tasks = new List<Task<ExperienceFetchResult>>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] is { } keys)
            {
                var source = i == routes.Count ? main : routes[i].Source;
                tasks.Add(source.GetAsync(request.WithKeys(keys), cancellationToken));
            }
        }

        return tasks.Count == 1
            ? await tasks[0].ConfigureAwait(false)
            : ExperienceFetchResult.Merge(await Task.WhenAll(tasks).ConfigureAwait(false));
    }
}
