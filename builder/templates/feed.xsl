<?xml version="1.0" encoding="utf-8"?>
<!-- What a browser shows for a feed of this site (feeds/*.xml point here): the entries as a
     page, and how to subscribe, in place of raw XML. Served beside the feeds, same origin. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/>（订阅）</title>
        <style>
          body { margin: 0 auto; max-width: 46rem; padding: 1rem; color: #1a1a1a; line-height: 1.7;
            font: 17px/1.7 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
          h1 { font-size: 1.4rem; line-height: 1.4; margin: 0.5rem 0; }
          h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
          a { color: #a3241b; text-underline-offset: 0.2em; }
          .about { padding: 0.6rem 0.9rem; border-left: 0.3rem solid #a3241b; background: #fdf3f2; }
          .about p { margin: 0.3rem 0; }
          code { display: block; margin: 0.3rem 0; padding: 0.3rem 0.5rem; background: #fff;
            border: 1px solid #c8c8c8; overflow-wrap: anywhere; font-size: 0.9rem; }
          ol { padding-left: 1.2rem; }
          li { margin: 0 0 1rem; }
          .date { color: #4a4a4a; font-variant-numeric: tabular-nums; }
        </style>
      </head>
      <body>
        <main>
          <h1><xsl:value-of select="atom:title"/></h1>
          <div class="about">
            <p>这是一个<strong>订阅源</strong>（Atom 格式）。把下面的网址复制到 RSS 阅读器（手机或电脑上的订阅软件）中，有新报告或任务状态变化时，阅读器会收到通知，不必常来查看。</p>
            <code><xsl:value-of select="atom:link[@rel='self']/@href"/></code>
            <p>不用阅读器也可以：下面列出了这个订阅源的最新条目。<a href="{atom:link[@rel='alternate']/@href}">回到网站</a></p>
          </div>
          <h2>最新条目</h2>
          <xsl:choose>
            <xsl:when test="atom:entry">
              <ol>
                <xsl:for-each select="atom:entry">
                  <li>
                    <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
                    <br/><span class="date"><xsl:value-of select="substring(atom:updated, 1, 10)"/></span>
                    <xsl:text> </xsl:text><xsl:value-of select="atom:summary"/>
                  </li>
                </xsl:for-each>
              </ol>
            </xsl:when>
            <xsl:otherwise><p>还没有条目：有新报告或任务状态变化时会出现在这里。</p></xsl:otherwise>
          </xsl:choose>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
