// Admin pages (static/admin.js). No inline scripts are allowed (CSP), so behaviour lives here:
// - #upload-form is sent by XHR with Accept: application/json, showing the upload progress in
//   progress#upload-progress and the per-file report in ul#upload-report (without JS the
//   form posts normally and the server renders the same report);
// - forms with a data-confirm attribute ask before they are submitted.
(function () {
  'use strict';

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });

  var form = document.getElementById('upload-form');
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var progress = document.getElementById('upload-progress');
  var status = document.getElementById('upload-status');
  var report = document.getElementById('upload-report');
  var button = form.querySelector('button[type=submit]');

  // An element with text (never HTML: file names and titles come from users).
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function docLink(id, title) {
    var a = element('a', 'upload-doc', title);
    a.href = '/doc/' + encodeURIComponent(id);
    return a;
  }

  function show(files) {
    report.textContent = '';
    files.forEach(function (file) {
      var li = element('li');
      li.appendChild(element('strong', 'file-name', file.name));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(element('span', 'counts', '新增 ' + file.inserted + ' · 更新 ' + file.updated));
      file.errors.forEach(function (error) {
        li.appendChild(element('p', 'error', error));
      });
      file.documents.forEach(function (d) {
        li.appendChild(docLink(d.id, d.title));
        li.appendChild(document.createTextNode(' '));
      });
      file.near_duplicates.forEach(function (pair) {
        var p = element('p', 'near-duplicate', '近似重复：');
        p.appendChild(docLink(pair.id, pair.title));
        p.appendChild(document.createTextNode(' 与 '));
        p.appendChild(docLink(pair.similar_to, pair.similar_title));
        p.appendChild(document.createTextNode('（SimHash 距离 ' + pair.distance + '）· '));
        var review = element('a', '', '去审核');
        review.href = '/admin/duplicates';
        p.appendChild(review);
        li.appendChild(p);
      });
      report.appendChild(li);
    });
  }

  function done(message) {
    status.textContent = message;
    button.disabled = false;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    // The server closes the connection on a larger body; say why before sending it.
    var total = 0;
    Array.prototype.forEach.call(form.querySelector('input[type=file]').files, function (f) {
      total += f.size;
    });
    if (total > Number(form.getAttribute('data-max-bytes'))) {
      status.textContent = '所选文件合计超过上限，请分批上传。';
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) progress.value = Math.round((e.loaded * 100) / e.total);
    });
    xhr.upload.addEventListener('load', function () {
      progress.value = 100;
      status.textContent = '上传完成，正在处理…';
    });
    xhr.addEventListener('load', function () {
      var data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch (ignored) {
        data = null;
      }
      if (xhr.status === 200 && data && data.files) {
        show(data.files);
        form.reset();
        done('处理完成。');
      } else if (xhr.responseURL && xhr.responseURL.indexOf('/admin/login') !== -1) {
        done('登录已过期，请重新登录后再上传。');
      } else {
        done((data && data.error) || '上传失败（HTTP ' + xhr.status + '）。');
      }
    });
    xhr.addEventListener('error', function () {
      done('网络错误，上传失败。');
    });
    progress.hidden = false;
    progress.value = 0;
    button.disabled = true;
    status.textContent = '正在上传…';
    xhr.send(new FormData(form));
  });
})();
