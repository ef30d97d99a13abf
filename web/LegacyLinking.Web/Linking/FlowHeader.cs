namespace LegacyLinking.Web.Linking;

/// <summary>Every link and unlink response names the flow that ran it (QA scripts and the tests read it).</summary>
public static class FlowHeader
{
    public const string Name = "X-Linking-Flow";

    public static void Set(HttpResponse response, string? flow)
    {
        if (!string.IsNullOrEmpty(flow)) response.Headers[Name] = flow;
    }
}
