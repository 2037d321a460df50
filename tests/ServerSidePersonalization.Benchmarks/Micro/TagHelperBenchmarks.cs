using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.AspNetCore;
using ServerSidePersonalization.AspNetCore.TagHelpers;

namespace ServerSidePersonalization.Benchmarks.Micro;

/// <summary>
/// <c>&lt;experience key="hero"&gt;&lt;experience-value field="Title" /&gt;&lt;/experience&gt;</c> rendered as Razor runs
/// it (the outer tag helper, then its child), on a request whose feature holds <c>hero</c> from L1.
/// </summary>
[MemoryDiagnoser]
public class TagHelperBenchmarks
{
    private static readonly TagHelperAttributeList NoAttributes = [];

    private MicroApp _app = null!;
    private ViewContext _view = null!;
    private ExperienceTagHelper _experience = null!;
    private ExperienceValueTagHelper _value = null!;

    [GlobalSetup]
    public void Setup()
    {
        _app = MicroApp.Create();
        var context = _app.Request();
        var middleware = new PersonalizationMiddleware(static _ => Task.CompletedTask, _app.Services.GetRequiredService<PersonalizationServices>());
        middleware.InvokeAsync(context).GetAwaiter().GetResult();
        _view = new ViewContext(
            new ActionContext(context, new RouteData(), new ActionDescriptor()),
            NullView.Instance,
            new ViewDataDictionary(new EmptyModelMetadataProvider(), new ModelStateDictionary()),
            new TempDataDictionary(context, NullTempDataProvider.Instance),
            TextWriter.Null,
            new HtmlHelperOptions());
        _experience = new ExperienceTagHelper { Key = "hero", ViewContext = _view };
        _value = new ExperienceValueTagHelper { Field = "Title", ViewContext = _view };
        if (RenderExperience().GetAwaiter().GetResult() != "Winter sale")
        {
            throw new InvalidOperationException("The setup render did not show 'hero'.");
        }
    }

    [Benchmark]
    public async Task<string> RenderExperience()
    {
        var context = new TagHelperContext("experience", NoAttributes, new Dictionary<object, object>(), "1");
        var output = new TagHelperOutput("experience", NoAttributes, async (_, _) =>
        {
            var childContext = new TagHelperContext("experience-value", NoAttributes, context.Items, "2");
            var childOutput = new TagHelperOutput("experience-value", NoAttributes, static (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
            await _value.ProcessAsync(childContext, childOutput);
            return new DefaultTagHelperContent().AppendHtml(childOutput.Content);
        });
        await _experience.ProcessAsync(context, output);
        return output.Content.GetContent();
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class NullView : IView
    {
        public static readonly NullView Instance = new();

        public string Path => "bench";

        public Task RenderAsync(ViewContext context) => Task.CompletedTask;
    }

    private sealed class NullTempDataProvider : ITempDataProvider
    {
        public static readonly NullTempDataProvider Instance = new();

        public IDictionary<string, object> LoadTempData(HttpContext context) => new Dictionary<string, object>();

        public void SaveTempData(HttpContext context, IDictionary<string, object> values)
        {
        }
    }
}
