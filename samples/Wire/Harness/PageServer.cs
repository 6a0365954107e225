using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wire;

/// <summary>
/// Serves the test page from http://127.0.0.1 (a loopback origin): Chromium refuses a ws://127.0.0.1 connection from
/// a data: page (Local Network Access), so the page must itself come from the loopback.
/// </summary>
sealed class PageServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly byte[] _page;
    private readonly Task _loop;

    private PageServer(HttpListener listener, string html)
    {
        _listener = listener;
        _page = Encoding.UTF8.GetBytes(html);
        _loop = Task.Run(ServeAsync);
    }

    public Uri Address { get; private init; } = null!;

    public static PageServer Start(string html)
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new PageServer(listener, html) { Address = new Uri($"http://127.0.0.1:{port}/wire.html") };
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            if (context.Request.Url?.AbsolutePath == "/wire.html")
            {
                response.ContentType = "text/html; charset=utf-8";
                response.ContentLength64 = _page.Length;
                await response.OutputStream.WriteAsync(_page);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
