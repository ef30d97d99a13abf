using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// An HTML form as a browser would submit it: its fields (hidden ones included, e.g. the antiforgery token), values
/// set by <c>data-test</c> hook or name, and the clicked button's <c>formaction</c> and name/value.
/// </summary>
public sealed class HtmlForm
{
    private readonly IHtmlFormElement _form;
    private readonly Uri _pageUri;
    private readonly List<KeyValuePair<string, string>> _fields;

    private HtmlForm(IHtmlFormElement form, Uri pageUri)
    {
        _form = form;
        _pageUri = pageUri;
        _fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name) && i.Type is not ("submit" or "button" or "checkbox" or "radio"))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .ToList();
    }

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>The form <paramref name="formOrChild"/> is, or is inside.</summary>
    public static HtmlForm Of(IElement formOrChild, Uri pageUri) =>
        new(formOrChild as IHtmlFormElement ?? formOrChild.Closest("form") as IHtmlFormElement
            ?? throw new InvalidOperationException("The element is not inside a form."), pageUri);

    /// <summary>The form containing the element matched by <paramref name="selector"/> (or the form itself).</summary>
    public static HtmlForm Find(IParentNode scope, Uri pageUri, string selector)
    {
        var element = scope.QuerySelector(selector) ?? throw new InvalidOperationException($"No element matches '{selector}'.");
        return Of(element, pageUri);
    }

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public string? this[string name] => _fields.FirstOrDefault(f => f.Key == name).Value;

    /// <summary>Sets the input with <c>data-test="{hook}"</c>, or else the field named <paramref name="hookOrName"/>.</summary>
    public HtmlForm Set(string hookOrName, string value)
    {
        var name = (_form.QuerySelector($"[data-test='{hookOrName}']") as IHtmlInputElement)?.Name ?? hookOrName;
        _fields.RemoveAll(f => f.Key == name);
        _fields.Add(new(name, value));
        return this;
    }

    /// <summary>The request a click on the button with <c>data-test="{buttonHook}"</c> (or the first submit button) sends.</summary>
    public HttpRequestMessage Submit(string? buttonHook = null)
    {
        var button = (buttonHook is null
                ? _form.QuerySelector("button[type=submit], input[type=submit]")
                : _form.QuerySelector($"[data-test='{buttonHook}']"))
            ?? throw new InvalidOperationException($"No submit button '{buttonHook}' in the form.");
        var fields = new List<KeyValuePair<string, string>>(_fields);
        if (button.GetAttribute("name") is { Length: > 0 } name) fields.Add(new(name, button.GetAttribute("value") ?? ""));

        var action = button.GetAttribute("formaction") ?? _form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? _pageUri : new Uri(_pageUri, action);
        return new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(fields) };
    }
}
