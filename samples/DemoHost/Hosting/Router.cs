using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace SessionCore.Samples.DemoHost.Hosting;

/// <summary>Exact-path routing: unknown paths are 404, known paths with another method 405 with <c>Allow</c>.</summary>
internal sealed class Router
{
    private readonly Dictionary<string, Dictionary<string, Func<RequestContext, Task>>> _routes = new(StringComparer.Ordinal);

    public Router Get(string path, Func<RequestContext, Task> handler) => Map("GET", path, handler);

    public Router Post(string path, Func<RequestContext, Task> handler) => Map("POST", path, handler);

    public Task DispatchAsync(RequestContext context)
    {
        if (!_routes.TryGetValue(context.Path, out Dictionary<string, Func<RequestContext, Task>>? byMethod))
        {
            return context.WriteErrorAsync(404, "not_found");
        }

        if (!byMethod.TryGetValue(context.Method, out Func<RequestContext, Task>? handler))
        {
            context.SetHeader("Allow", string.Join(", ", byMethod.Keys.Order(StringComparer.Ordinal)));
            return context.WriteErrorAsync(405, "method_not_allowed");
        }

        return handler(context);
    }

    private Router Map(string method, string path, Func<RequestContext, Task> handler)
    {
        if (!_routes.TryGetValue(path, out Dictionary<string, Func<RequestContext, Task>>? byMethod))
        {
            byMethod = new Dictionary<string, Func<RequestContext, Task>>(StringComparer.Ordinal);
            _routes.Add(path, byMethod);
        }

        byMethod.Add(method, handler);
        return this;
    }
}
